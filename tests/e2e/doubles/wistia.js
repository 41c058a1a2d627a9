// TEST DOUBLE of Wistia's player API: it takes over window._wq as E-v1.js does, finds the
// `wistia_async_<id>` embed, and hands onReady a video handle with bind / play / pause / time / duration and the
// play, pause, timechange, seek and end events, playing a pretend 3 s video. No network.
(function () {
  function makeVideo(id, container) {
    const handlers = {};
    const fire = (name, ...args) => (handlers[name] || []).forEach((fn) => fn(...args));
    const duration = Number(document.body.dataset.doubleDuration || 3);
    const fake = new FakeVideo(duration, (t) => fire("timechange", t), () => fire("end"));
    const video = {
      hashedId: () => id,
      bind: (name, fn) => { (handlers[name] ||= []).push(fn); },
      play: () => { fake.play(); fire("play"); },
      pause: () => { fake.stop(); fire("pause"); },
      time: (t) => {
        if (t === undefined) return fake.time;
        const last = fake.time;
        fake.time = t;
        fire("seek", t, last);
        return video;
      },
      duration: () => fake.duration,
      remove: () => fake.stop(),
    };
    doubleButton(container, "Play (Wistia double)", () => video.play());
    return video;
  }
  function handle(entry) {
    window.doubleLog.push({ host: "wistia", options: { id: entry.id } });
    setTimeout(() => {
      const container = document.querySelector(`.wistia_async_${entry.id}`);
      if (container) entry.onReady(makeVideo(entry.id, container));
    }, 50);
  }
  const queued = window._wq || [];
  window._wq = { push: handle };
  queued.forEach(handle);
  window.Wistia = { api: () => null };
})();
