// HlsPlayer: one <video> played through hls.js (MediaSource), or natively where hls.js cannot run (Safari on iOS).
// Implements the player-adapter contract (static/js/player-adapter.js):
//   events  ready, play, pause, timeupdate(position), seeked, ended, error({message, fatal, code})
//   methods play(), pause(), seek(seconds), getPosition(), getDuration()
// and a few extras the watch page uses: levels(), setLevel(index), currentLevel(), rendition(), setRate(rate),
// on("levels"), on("stall"), on("playing").

export class HlsPlayer {
  constructor(video) {
    this.video = video;
    this.hls = null;
    this.listeners = {};
    this.recoveredMedia = false;
    this._forward();
  }

  on(event, listener) {
    (this.listeners[event] ||= []).push(listener);
    return this;
  }

  emit(event, value) {
    for (const listener of this.listeners[event] || []) listener(value);
  }

  // Chromium answers "maybe" to canPlayType(HLS) yet cannot play it: try hls.js first, native only without it.
  load(src, startAt = 0) {
    this.destroy();
    const Hls = window.Hls;
    if (Hls && Hls.isSupported()) {
      this.hls = new Hls({ startPosition: startAt > 0 ? startAt : -1, capLevelToPlayerSize: false, enableWorker: true });
      this._watchHls(Hls);
      this.hls.loadSource(src);
      this.hls.attachMedia(this.video);
    } else if (this.video.canPlayType("application/vnd.apple.mpegurl")) {
      this.video.src = src;
      if (startAt > 0) {
        this.video.addEventListener("loadedmetadata", () => { this.video.currentTime = startAt; }, { once: true });
      }
      this.video.addEventListener("loadedmetadata", () => this.emit("ready"), { once: true });
    } else {
      this.emit("error", { message: "This browser cannot play HLS video.", fatal: true, code: "unsupported" });
    }
  }

  destroy() {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
  }

  play() { return this.video.play(); }
  pause() { this.video.pause(); }
  seek(seconds) { this.video.currentTime = Math.max(0, Math.min(seconds, this.getDuration() || seconds)); }
  getPosition() { return this.video.currentTime || 0; }
  getDuration() { return Number.isFinite(this.video.duration) ? this.video.duration : 0; }
  setRate(rate) { this.video.playbackRate = rate; }

  levels() {
    return this.hls ? this.hls.levels.map((level, index) => ({ index, height: level.height, bitrate: level.bitrate })) : [];
  }

  setLevel(index) {
    if (this.hls) this.hls.currentLevel = index; // -1: automatic
  }

  currentLevel() {
    return this.hls ? { auto: this.hls.autoLevelEnabled, index: this.hls.currentLevel } : { auto: true, index: -1 };
  }

  // What is on screen now: the rendition's bitrate (0 when unknown, as with native HLS) and height.
  rendition() {
    const level = this.hls && this.hls.currentLevel >= 0 ? this.hls.levels[this.hls.currentLevel] : null;
    return { bitrate: level ? level.bitrate : 0, height: this.video.videoHeight || (level ? level.height : 0) };
  }

  _forward() {
    const video = this.video;
    video.addEventListener("play", () => this.emit("play"));
    video.addEventListener("playing", () => this.emit("playing"));
    video.addEventListener("pause", () => { if (!video.ended) this.emit("pause"); });
    video.addEventListener("waiting", () => this.emit("stall"));
    video.addEventListener("timeupdate", () => this.emit("timeupdate", video.currentTime));
    video.addEventListener("seeking", () => this.emit("seeking"));
    video.addEventListener("seeked", () => this.emit("seeked", video.currentTime));
    video.addEventListener("ended", () => this.emit("ended"));
    video.addEventListener("error", () => {
      if (this.hls) return; // hls.js reports its own errors
      const error = video.error;
      this.emit("error", { message: error ? error.message || `media error ${error.code}` : "media error", fatal: true, code: "native" });
    });
  }

  _watchHls(Hls) {
    const hls = this.hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      this.emit("levels", this.levels());
      this.emit("ready");
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, () => this.emit("levelswitched", this.rendition()));
    hls.on(Hls.Events.ERROR, (_, data) => this._hlsError(Hls, data));
  }

  _hlsError(Hls, data) {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !this.recoveredMedia) {
      this.recoveredMedia = true;
      this.hls.recoverMediaError();
      return;
    }
    const status = data.response && data.response.code;
    this.emit("error", { message: data.details || String(data.type), fatal: true, code: status || data.details });
  }
}
