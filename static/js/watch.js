// The watch page of a video we host: asks for signed playback URLs (sources.js), plays it, wires the controls,
// reports the view, and offers the next lesson when opened from a course. (Videos on YouTube, Vimeo or Wistia:
// external-watch.js.)
import { HeartbeatTracker, trackerOptions } from "./heartbeat.js";
import { offerNextLesson } from "./next-lesson.js";
import { HlsPlayer } from "./player.js";
import { fetchSources } from "./sources.js";
import { attachStoryboard, formatTime, loadStoryboard } from "./storyboard.js";

const config = JSON.parse(document.getElementById("watch-config").textContent);
const root = document.getElementById("player");
const video = root.querySelector("video");
const $ = (selector) => root.querySelector(selector);
const player = new HlsPlayer(video);
const tracker = new HeartbeatTracker(player, trackerOptions(config));
if (config.course_id) {
  offerNextLesson(player, { videoId: config.video_id, courseId: config.course_id, panel: document.querySelector(".next-lesson") });
}
window.streamerWatch = { player, tracker, config };

const MESSAGES = {
  401: "Your session has ended. Log in again to watch this video.",
  403: "You do not have access to this video. If you think you should, check your membership.",
  404: "This video does not exist or is no longer available.",
  expired: "This playback link has expired. Reload the page to keep watching.",
};

function showMessage(text) {
  const box = $(".player-message");
  box.textContent = text;
  box.hidden = false;
  root.classList.add("has-message");
}

const fetchPlayback = () => fetchSources(config);

// A signed link that stops working mid-play (403/410 from nginx) is renewed once; if that fails, say so.
let renewed = false;
player.on("error", async (error) => {
  if ([403, 410].includes(error.code) && !renewed) {
    renewed = true;
    try {
      const playback = await fetchPlayback();
      const at = player.getPosition();
      player.load(playback.master_url, at);
      player.on("ready", () => player.play().catch(() => {}));
      return;
    } catch (failure) {
      showMessage(MESSAGES[failure.status] || MESSAGES.expired);
      return;
    }
  }
  showMessage([403, 410].includes(error.code) ? MESSAGES.expired : `Playback failed: ${error.message}`);
});

async function start() {
  let playback;
  try {
    playback = await fetchPlayback();
  } catch (failure) {
    showMessage(MESSAGES[failure.status] || `Playback is unavailable right now (${failure.message}).`);
    $(".controls").hidden = true;
    return;
  }
  if (playback.poster_url) video.poster = playback.poster_url;
  player.load(playback.master_url, config.start_at);
  const cues = await loadStoryboard(playback.thumbnails_url).catch(() => []);
  attachStoryboard($(".seekbar"), $(".storyboard"), cues, () => player.getDuration() || config.duration);
}

function wireControls() {
  const playButton = $(".play");
  const seekbar = $(".seekbar");
  const toggle = () => (video.paused || video.ended ? player.play().catch(() => {}) : player.pause());
  playButton.addEventListener("click", toggle);
  video.addEventListener("click", toggle);
  video.addEventListener("play", () => { playButton.textContent = "❚❚"; playButton.setAttribute("aria-label", "Pause"); });
  video.addEventListener("pause", () => { playButton.textContent = "▶"; playButton.setAttribute("aria-label", "Play"); });
  player.on("timeupdate", (position) => {
    const duration = player.getDuration();
    if (duration && !seekbar.matches(":active")) seekbar.value = String(Math.round((position / duration) * 1000));
    $(".time").textContent = `${formatTime(position)} / ${formatTime(duration || config.duration)}`;
  });
  seekbar.addEventListener("input", () => player.seek((Number(seekbar.value) / 1000) * player.getDuration()));
  $(".mute").addEventListener("click", () => { video.muted = !video.muted; });
  video.addEventListener("volumechange", () => $(".mute").setAttribute("aria-pressed", String(video.muted)));
  $(".speed").addEventListener("change", (event) => player.setRate(Number(event.target.value)));
  $(".fullscreen").addEventListener("click", toggleFullscreen);
  wireQuality();
  const resume = $(".resume");
  if (resume) resume.querySelector("button").addEventListener("click", () => { player.seek(0); resume.hidden = true; });
}

function wireQuality() {
  const select = $(".quality");
  player.on("levels", (levels) => {
    const sorted = [...levels].sort((a, b) => b.height - a.height);
    select.replaceChildren(new Option("Auto", "-1"), ...sorted.map((level) =>
      new Option(`${level.height}p · ${(level.bitrate / 1e6).toFixed(1)} Mbit/s`, String(level.index))));
    select.hidden = levels.length < 2;
  });
  player.on("levelswitched", (rendition) => {
    const auto = select.options[0];
    if (auto) auto.textContent = player.currentLevel().auto ? `Auto (${rendition.height}p)` : "Auto";
  });
  select.addEventListener("change", () => player.setLevel(Number(select.value)));
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else root.requestFullscreen?.();
}

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];

function changeSpeed(step) {
  const select = $(".speed");
  const index = Math.min(SPEEDS.length - 1, Math.max(0, SPEEDS.indexOf(video.playbackRate) + step));
  select.value = String(SPEEDS[index]);
  player.setRate(SPEEDS[index]);
}

// YouTube's keys: space/k play, j/l ±10 s, arrows ±5 s and volume, m mute, f fullscreen, 0–9 jump, < > speed.
const KEYS = {
  " ": () => (video.paused ? player.play().catch(() => {}) : player.pause()),
  k: () => (video.paused ? player.play().catch(() => {}) : player.pause()),
  j: () => player.seek(player.getPosition() - 10),
  l: () => player.seek(player.getPosition() + 10),
  ArrowLeft: () => player.seek(player.getPosition() - 5),
  ArrowRight: () => player.seek(player.getPosition() + 5),
  ArrowUp: () => { video.volume = Math.min(1, video.volume + 0.1); },
  ArrowDown: () => { video.volume = Math.max(0, video.volume - 0.1); },
  m: () => { video.muted = !video.muted; },
  f: toggleFullscreen,
  "<": () => changeSpeed(-1),
  ">": () => changeSpeed(1),
  Home: () => player.seek(0),
  End: () => player.seek(player.getDuration()),
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, select, textarea")) return;
  const action = /^[0-9]$/.test(event.key) ? () => player.seek((Number(event.key) / 10) * player.getDuration()) : KEYS[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

wireControls();
start();
