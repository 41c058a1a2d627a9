// TEST DOUBLE of the analytics feature's heartbeat client: it listens to the announced player adapter, as the
// real one will, and reports the position to /test/progress (a route of the test app, not the real protocol)
// with the page's CSRF token, as every script that POSTs does.
window.addEventListener("streamer:player", ({ detail }) => {
  const { adapter, videoId } = detail;
  const send = (finished) => fetch("/test/progress", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content,
    },
    body: JSON.stringify({ video_id: videoId, position: adapter.getPosition(), duration: adapter.getDuration(), finished }),
  });
  adapter.on("pause", () => send(false));
  adapter.on("ended", () => send(true));
});
