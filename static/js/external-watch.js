/** The watch section of a video kept on YouTube, Vimeo or Wistia (templates/catalog/external_player.html):
 * plays it through its host's adapter, reports the view's heartbeats when the page carries a watch config
 * (templates/watch.html), and offers the next lesson when opened from a course. */
import { trackAdapter } from "./adapter-tracking.js";
import { createAdapter } from "./player-adapter.js";
import { offerNextLesson } from "./next-lesson.js";

const section = document.querySelector("[data-external-player]");
if (section) {
  const data = section.dataset;
  const frame = section.querySelector(".frame");
  const adapter = createAdapter(data.host, frame, {
    id: data.externalId,
    hash: data.hash,
    start: Number(data.resume || 0),
    vimeoModule: data.vimeoModule,
  });
  const errorBox = section.querySelector(".player-error");
  adapter.on("error", ({ message }) => {
    errorBox.textContent = `The player reported a problem: ${message}`;
    errorBox.hidden = false;
  });
  if (data.courseId) {
    offerNextLesson(adapter, { videoId: data.videoId, courseId: data.courseId, panel: section.querySelector(".next-lesson") });
  }
  const configElement = document.getElementById("watch-config");
  const config = configElement ? JSON.parse(configElement.textContent) : null;
  const tracker = config ? trackAdapter(adapter, frame, config) : null;
  window.streamerWatch = { player: adapter, tracker, config };
  window.streamerPlayer = { adapter, videoId: data.videoId, courseId: data.courseId || null };
  window.dispatchEvent(new CustomEvent("streamer:player", { detail: window.streamerPlayer }));
}
