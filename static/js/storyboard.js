// Storyboard thumbnails: a WebVTT file whose cues point into sprite images with a media fragment,
//   00:00:05.000 --> 00:00:10.000
//   storyboard.jpg#xywh=160,0,160,90
// (the common format of JW Player, Video.js and Vimeo). Image URLs are resolved against the VTT's URL.

export async function loadStoryboard(url) {
  if (!url) return [];
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) return [];
  return parseStoryboard(await response.text(), response.url || url);
}

export function parseStoryboard(text, baseUrl) {
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n\n+/)) {
    const lines = block.split("\n").filter(Boolean);
    const timing = lines.findIndex((line) => line.includes("-->"));
    if (timing < 0 || !lines[timing + 1]) continue;
    const [start, end] = lines[timing].split("-->").map((part) => seconds(part.trim().split(/\s+/)[0]));
    const [image, fragment] = lines[timing + 1].trim().split("#xywh=");
    const [x, y, w, h] = (fragment || "0,0,0,0").split(",").map(Number);
    cues.push({ start, end, url: new URL(image, baseUrl).href, x, y, w, h });
  }
  return cues;
}

function seconds(stamp) {
  const parts = stamp.split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

export function cueAt(cues, time) {
  return cues.find((cue) => time >= cue.start && time < cue.end) || cues[cues.length - 1] || null;
}

// Shows the frame under the pointer above the seek bar.
export function attachStoryboard(seekbar, preview, cues, duration) {
  const image = preview.querySelector(".storyboard-frame");
  const label = preview.querySelector(".storyboard-time");
  seekbar.addEventListener("mousemove", (event) => {
    const total = duration();
    if (!total) return;
    const box = seekbar.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const time = share * total;
    const cue = cueAt(cues, time);
    label.textContent = formatTime(time);
    if (cue && cue.w) {
      image.hidden = false;
      image.style.width = `${cue.w}px`;
      image.style.height = `${cue.h}px`;
      image.style.backgroundImage = `url("${cue.url}")`;
      image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    } else {
      image.hidden = true;
    }
    preview.hidden = false;
    const half = preview.offsetWidth / 2;
    preview.style.left = `${Math.min(box.width - half, Math.max(half, event.clientX - box.left))}px`;
  });
  seekbar.addEventListener("mouseleave", () => { preview.hidden = true; });
}

export function formatTime(total) {
  const whole = Math.max(0, Math.floor(total || 0));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}
