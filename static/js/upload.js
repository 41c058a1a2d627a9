// The upload page: a resumable tus upload (tus-js-client) with speed and time left, resumed after a reload
// when the same file is chosen again, then the video's processing status until it is ready or failed.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const form = $("upload-form");
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const CHUNK = 32 * 1024 * 1024;
  const REFUSALS = {
    401: "Your session ended; log in again, then choose the same file to resume.",
    403: "Only instructors can upload videos.",
    404: "This upload no longer exists; please start again.",
    410: "This upload expired; please start again.",
    413: "This file is larger than the upload limit.",
  };
  let upload = null;
  let samples = [];
  let stalled = false;

  function size(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (bytes >= 1000 && i < units.length - 1) { bytes /= 1000; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function duration(seconds) {
    if (!isFinite(seconds)) return "–";
    if (seconds < 60) return Math.ceil(seconds) + " s left";
    if (seconds < 3600) return Math.ceil(seconds / 60) + " min left";
    return (seconds / 3600).toFixed(1) + " h left";
  }

  // Speed over the last five seconds, so a stall shows quickly and a burst does not mislead.
  function speed(sent) {
    const now = performance.now();
    samples.push([now, sent]);
    samples = samples.filter(([t]) => now - t <= 5000);
    const [t0, b0] = samples[0];
    return now > t0 ? ((sent - b0) * 1000) / (now - t0) : 0;
  }

  function showProgress(sent, total) {
    const percent = total ? (100 * sent) / total : 0;
    const rate = speed(sent);
    $("upload-bar").value = percent;
    $("upload-percent").textContent = percent.toFixed(1) + " %";
    $("upload-speed").textContent = rate > 0 ? size(rate) + "/s" : "–";
    $("upload-left").textContent = rate > 0 ? duration((total - sent) / rate) : "–";
  }

  async function listUnfinished() {
    const stored = await tus.defaultOptions.urlStorage.findAllUploads();
    const names = stored.map((u) => (u.metadata && u.metadata.filename) || "a file").filter(Boolean);
    if (names.length) {
      $("resumable").hidden = false;
      $("resumable").textContent = "Unfinished: " + names.join(", ") + ". Choose the same file again to resume.";
    }
  }

  function start(file, title) {
    $("uploading").hidden = false;
    $("upload-name").textContent = file.name;
    $("upload-error").textContent = "";
    samples = [];
    upload = new tus.Upload(file, {
      endpoint: "/uploads/",
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, filetype: file.type, title: title },
      headers: { "X-CSRF-Token": csrf },
      removeFingerprintOnSuccess: true,
      onProgress: showProgress,
      onError: (error) => {
        console.warn("upload stopped", error);
        stalled = true;
        const where = $("upload-percent").textContent;
        const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        $("upload-error").textContent = status >= 400
          ? (REFUSALS[status] || "The server refused the upload (HTTP " + status + ").")
          : "The connection was lost at " + where + ". The upload goes on by itself when the network is back, " +
            "or after a reload when you choose the same file again.";
        form.hidden = false;
      },
      onSuccess: () => {
        showProgress(file.size, file.size);
        $("pause").hidden = true;
        watch(upload.url.split("/").pop());
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  async function watch(videoId) {
    $("processing").hidden = false;
    for (;;) {
      const response = await fetch("/api/videos/" + videoId + "/status", { credentials: "same-origin" });
      if (response.ok) {
        const video = await response.json();
        $("process-label").textContent = video.label + (video.error && !video.final ? " — " + video.error : "");
        $("process-bar").value = video.status === "processing" || video.status === "ready" ? video.progress : 0;
        if (video.final) {
          if (video.status === "failed") $("process-error").textContent = video.error;
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = $("file").files[0];
    if (!file) return;
    if (file.size > Number(form.dataset.maxSize)) {
      $("uploading").hidden = false;
      $("upload-error").textContent = "This file is larger than the limit of " + size(Number(form.dataset.maxSize)) + ".";
      return;
    }
    form.hidden = true;
    $("resumable").hidden = true;
    start(file, $("title").value.trim());
  });

  window.addEventListener("online", () => {
    if (upload && stalled) {
      stalled = false;
      $("upload-error").textContent = "";
      upload.start();
    }
  });

  $("pause").addEventListener("click", () => {
    if (!upload) return;
    if ($("pause").textContent === "Pause") {
      upload.abort();
      $("pause").textContent = "Resume";
    } else {
      upload.start();
      $("pause").textContent = "Pause";
    }
  });

  listUnfinished();
})();
