// The watch page's player: asks the app for signed URLs, then plays them with hls.js (or natively on Safari).
// Links live as long as the video plus room to pause (see docs/delivery.md); should one expire anyway, a
// 403/410 on a segment fetches fresh links and carries on from the same position.
(function () {
  "use strict";
  const video = document.getElementById("player");
  const errorBox = document.getElementById("player-error");
  const videoId = video.dataset.video;

  function show(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  async function playback() {
    const response = await fetch(`/api/videos/${encodeURIComponent(videoId)}/playback`, {
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.status === 401) {
      window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname);
      return null;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      show(body.error || `The video cannot be played (${response.status}).`);
      return null;
    }
    return response.json();
  }

  function withHls(links) {
    const hls = new window.Hls({ enableWorker: true });
    let renewing = false;
    hls.on(window.Hls.Events.ERROR, async (_event, data) => {
      const status = data.response && data.response.code;
      if ((status === 403 || status === 410) && !renewing) {
        renewing = true;
        const position = video.currentTime;
        const fresh = await playback();
        if (fresh) {
          hls.loadSource(fresh.master_url);
          hls.once(window.Hls.Events.MANIFEST_PARSED, () => hls.startLoad(position));
        }
        renewing = false;
      } else if (data.fatal) {
        show("Playback failed: " + data.details);
      }
    });
    hls.loadSource(links.master_url);
    hls.attachMedia(video);
  }

  async function start() {
    const links = await playback();
    if (!links) return;
    video.poster = links.poster_url;
    if (window.Hls && window.Hls.isSupported()) {
      withHls(links);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = links.master_url;
    } else {
      show("This browser cannot play HLS video.");
    }
  }

  start();
})();
