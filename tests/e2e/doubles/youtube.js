// TEST DOUBLE of the YouTube IFrame Player API (YT.Player): the same constructor options, methods and
// onReady / onStateChange events, playing a pretend video (data-double-duration, default 3 s). No network.
(function () {
  const State = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 };
  class Player {
    constructor(element, options) {
      const target = typeof element === "string" ? document.getElementById(element) : element;
      window.doubleLog.push({ host: "youtube", options: JSON.parse(JSON.stringify(options)) });
      const duration = Number(document.body.dataset.doubleDuration || 3);
      this._events = options.events || {};
      this._video = new FakeVideo(duration, () => {}, () => this._emit(State.ENDED));
      this._video.time = options.playerVars?.start || 0;
      doubleButton(target, "Play (YouTube double)", () => this.playVideo());
      setTimeout(() => this._events.onReady?.({ target: this }), 50);
    }
    _emit(state) { this._events.onStateChange?.({ target: this, data: state }); }
    playVideo() { this._video.play(); this._emit(State.PLAYING); }
    pauseVideo() { this._video.stop(); this._emit(State.PAUSED); }
    seekTo(seconds) { this._video.time = seconds; }
    getCurrentTime() { return this._video.time; }
    getDuration() { return this._video.duration; }
    destroy() { this._video.stop(); }
  }
  window.YT = { Player, PlayerState: State };
})();
