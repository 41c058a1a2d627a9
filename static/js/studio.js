// "My videos": rows that are still uploading, queued or processing refresh their status every 2 s.
(function () {
  "use strict";
  const rows = () => Array.from(document.querySelectorAll("tr[data-video][data-final=false]"));

  async function refresh(row) {
    const response = await fetch("/api/videos/" + row.dataset.video + "/status", { credentials: "same-origin" });
    if (!response.ok) return;
    const video = await response.json();
    const status = row.querySelector(".status");
    status.textContent = video.label;
    status.className = "status status-" + video.status;
    let bar = row.querySelector("progress");
    if (video.status === "uploading" || video.status === "processing") {
      if (!bar) {
        bar = document.createElement("progress");
        bar.max = 100;
        status.after(bar);
      }
      bar.value = video.progress;
    } else if (bar) {
      bar.remove();
    }
    const reason = row.querySelector(".reason");
    reason.textContent = video.error;
    reason.className = "reason " + (video.status === "failed" ? "error" : "muted");
    if (video.final) {
      row.dataset.final = "true";
      if (video.status === "failed") window.location.reload(); // shows Retry where it applies
    }
  }

  async function loop() {
    await Promise.all(rows().map(refresh));
    if (rows().length) setTimeout(loop, 2000);
  }

  if (rows().length) setTimeout(loop, 2000);
})();
