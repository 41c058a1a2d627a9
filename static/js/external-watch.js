/** The watch section of a video kept on YouTube, Vimeo or Wistia (templates/catalog/external_player.html). */
import { createAdapter } from "./player-adapter.js";
import { offerNextLesson } from "./next-lesson.js";

const section = document.querySelector("[data-external-player]");
if (section) {
  const data = section.dataset;
  const adapter = createAdapter(data.host, section.querySelector(".frame"), {
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
  window.streamerPlayer = { adapter, videoId: data.videoId, courseId: data.courseId || null };
  window.dispatchEvent(new CustomEvent("streamer:player", { detail: window.streamerPlayer }));
}
