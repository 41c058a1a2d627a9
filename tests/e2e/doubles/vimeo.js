// TEST DOUBLE of @vimeo/player's Player: the same promise-returning methods (ready, play, pause,
// setCurrentTime, getCurrentTime, getDuration) and events (play, pause, timeupdate, seeked, ended), set on
// window.Vimeo.Player as the library's UMD build does, playing a pretend 3 s video. No network.
(function () {
  class Player {
    constructor(element, options) {
      window.doubleLog.push({ host: "vimeo", options: JSON.parse(JSON.stringify(options)) });
      const duration = Number(document.body.dataset.doubleDuration || 3);
      this._handlers = {};
      this._video = new FakeVideo(duration,
        (t) => this._fire("timeupdate", { seconds: t, duration, percent: t / duration }),
        () => this._fire("ended", { seconds: duration, duration, percent: 1 }));
      doubleButton(element, "Play (Vimeo double)", () => this.play());
      this._ready = new Promise((resolve) => setTimeout(resolve, 50));
    }
    _fire(name, data) { (this._handlers[name] || []).forEach((fn) => fn(data)); }
    on(name, fn) { (this._handlers[name] ||= []).push(fn); }
    ready() { return this._ready; }
    async play() { this._video.play(); this._fire("play", { seconds: this._video.time }); }
    async pause() { this._video.stop(); this._fire("pause", { seconds: this._video.time }); }
    async setCurrentTime(seconds) { this._video.time = seconds; this._fire("seeked", { seconds }); return seconds; }
    async getCurrentTime() { return this._video.time; }
    async getDuration() { return this._video.duration; }
    async destroy() { this._video.stop(); }
  }
  window.Vimeo = { Player };
})();
