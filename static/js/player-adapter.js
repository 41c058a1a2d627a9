/**
 * The player-adapter contract: one interface over every player a watch page can hold — hls.js for videos we
 * host (written by the analytics feature against this contract) and the official players of YouTube, Vimeo and
 * Wistia (below). Heartbeats, resume and "next lesson" listen to an adapter and never to a player directly.
 *
 * Events — adapter.on(name, listener); listener(detail):
 *   ready       the player can be controlled                          detail: {duration}
 *   play        playback started or resumed                           detail: {position}
 *   pause       playback paused                                       detail: {position}
 *   timeupdate  the position moved; at least once a second while playing  detail: {position}
 *   seeked      the position jumped (a seek by the viewer or by seek())   detail: {position}
 *   ended       the video played to its end                           detail: {position}
 *   error       the player or its script failed                       detail: {code, message}
 * Methods:
 *   play(), pause(), seek(seconds)
 *   getPosition() → seconds, synchronous (the last known position)
 *   getDuration() → seconds, synchronous (0 until the host reports it)
 *   destroy()
 * Positions are in seconds (float). A watch page announces its adapter once with
 *   window.dispatchEvent(new CustomEvent("streamer:player", {detail: {adapter, videoId, courseId}}))
 * and leaves it at window.streamerPlayer for scripts that load later.
 */

export const EVENTS = Object.freeze(["ready", "play", "pause", "timeupdate", "seeked", "ended", "error"]);

export class PlayerAdapter {
  constructor(kind) {
    this.kind = kind;
    this.position = 0;
    this.duration = 0;
    this._listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  }

  on(name, listener) {
    if (!this._listeners.has(name)) throw new Error(`unknown player event ${name}`);
    this._listeners.get(name).add(listener);
    return () => this._listeners.get(name).delete(listener);
  }

  emit(name, detail = {}) {
    if (typeof detail.position === "number") this.position = detail.position;
    for (const listener of this._listeners.get(name)) {
      try {
        listener(detail);
      } catch (error) {
        console.error(`player ${name} listener failed`, error);
      }
    }
  }

  fail(code, message) {
    this.emit("error", { code, message });
  }

  getPosition() {
    return this.position;
  }

  getDuration() {
    return this.duration;
  }

  play() {}
  pause() {}
  seek(_seconds) {}
  destroy() {}
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

// --- YouTube: the IFrame Player API, on youtube-nocookie.com ---------------------------------------------

export const YOUTUBE_API = "https://www.youtube.com/iframe_api";
const YT_ENDED = 0, YT_PLAYING = 1, YT_PAUSED = 2;
const YT_ERRORS = { 2: "invalid video id", 5: "HTML5 player error", 100: "video not found or private", 101: "embedding not allowed", 150: "embedding not allowed" };
let youtubeApi = null;

function loadYouTube() {
  if (window.YT && window.YT.Player) return Promise.resolve(window.YT);
  youtubeApi ??= new Promise((resolve, reject) => {
    const previous = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = () => {
      if (previous) previous();
      resolve(window.YT);
    };
    loadScript(YOUTUBE_API).catch(reject);
  });
  return youtubeApi;
}

export class YouTubeAdapter extends PlayerAdapter {
  constructor(element, { id, start = 0 }) {
    super("youtube");
    this._timer = null;
    loadYouTube().then((YT) => {
      this.player = new YT.Player(element, {
        host: "https://www.youtube-nocookie.com",
        videoId: id,
        playerVars: { start: Math.floor(start), rel: 0, playsinline: 1, origin: window.location.origin },
        events: {
          onReady: () => this._ready(start),
          onStateChange: (event) => this._state(event.data),
          onError: (event) => this.fail(event.data, YT_ERRORS[event.data] || "YouTube player error"),
        },
      });
    }, (error) => this.fail("load", `The YouTube player could not load: ${error.message}`));
  }

  _ready(start) {
    this.duration = this.player.getDuration() || 0;
    this.position = start;
    this.emit("ready", { duration: this.duration });
  }

  _state(state) {
    if (state === YT_PLAYING) {
      this.duration = this.player.getDuration() || this.duration;
      this._poll(true);
      this.emit("play", { position: this.player.getCurrentTime() });
    } else if (state === YT_PAUSED) {
      this._poll(false);
      this.emit("pause", { position: this.player.getCurrentTime() });
    } else if (state === YT_ENDED) {
      this._poll(false);
      this.emit("ended", { position: this.duration || this.player.getCurrentTime() });
    }
  }

  // YouTube has no timeupdate or seek event: poll while playing, and call a jump a seek.
  _poll(on) {
    clearInterval(this._timer);
    this._timer = null;
    if (!on) return;
    this._mark(this.player.getCurrentTime());
    this._timer = setInterval(() => {
      const now = this.player.getCurrentTime();
      const expected = this._last + (performance.now() - this._at) / 1000;
      if (Math.abs(now - expected) > 1.5) this.emit("seeked", { position: now });
      this.emit("timeupdate", { position: now });
      this._mark(now);
    }, 250);
  }

  _mark(position) {
    this._last = position;
    this._at = performance.now();
  }

  play() { this.player?.playVideo(); }
  pause() { this.player?.pauseVideo(); }

  seek(seconds) {
    if (!this.player) return;
    this.player.seekTo(seconds, true);
    this._mark(seconds);
    this.emit("seeked", { position: seconds });
  }

  getPosition() {
    return this.player?.getCurrentTime ? this.player.getCurrentTime() : this.position;
  }

  destroy() {
    this._poll(false);
    this.player?.destroy();
  }
}

// --- Vimeo: @vimeo/player from npm ----------------------------------------------------------------------

export const VIMEO_MODULE = "/static/vendor/vimeo-player/player.es.js";

async function loadVimeo(moduleUrl) {
  if (window.Vimeo && window.Vimeo.Player) return window.Vimeo.Player;
  return (await import(moduleUrl)).default;
}

export class VimeoAdapter extends PlayerAdapter {
  constructor(element, { id, hash = "", start = 0, vimeoModule = VIMEO_MODULE }) {
    super("vimeo");
    loadVimeo(vimeoModule).then((Player) => this._create(Player, element, id, hash, start),
      (error) => this.fail("load", `The Vimeo player could not load: ${error.message}`));
  }

  _create(Player, element, id, hash, start) {
    // A private video is addressed by its full link, hash included.
    const source = hash ? { url: `https://vimeo.com/${id}/${hash}` } : { id: Number(id) };
    const player = (this.player = new Player(element, { ...source, dnt: true, responsive: true }));
    player.on("play", (data) => this.emit("play", { position: data?.seconds ?? this.position }));
    player.on("pause", (data) => this.emit("pause", { position: data?.seconds ?? this.position }));
    player.on("timeupdate", (data) => {
      this.duration = data.duration || this.duration;
      this.emit("timeupdate", { position: data.seconds });
    });
    player.on("seeked", (data) => this.emit("seeked", { position: data.seconds }));
    player.on("ended", () => this.emit("ended", { position: this.duration || this.position }));
    player.on("error", (error) => this.fail(error?.name || "vimeo", error?.message || "Vimeo player error"));
    player.ready().then(async () => {
      this.duration = (await player.getDuration()) || 0;
      if (start > 0) await player.setCurrentTime(start);
      this.position = start;
      this.emit("ready", { duration: this.duration });
    }, (error) => this.fail("ready", error?.message || "The Vimeo video could not be loaded"));
  }

  play() { this.player?.play().catch((error) => this.fail("play", error.message)); }
  pause() { this.player?.pause().catch((error) => this.fail("pause", error.message)); }
  seek(seconds) { this.player?.setCurrentTime(seconds).catch((error) => this.fail("seek", error.message)); }
  destroy() { this.player?.destroy(); }
}

// --- Wistia: the player API (E-v1.js and the window._wq queue) -----------------------------------------

export const WISTIA_API = "https://fast.wistia.com/assets/external/E-v1.js";

export class WistiaAdapter extends PlayerAdapter {
  constructor(element, { id, start = 0 }) {
    super("wistia");
    const embed = document.createElement("div");
    embed.className = `wistia_embed wistia_async_${id} videoFoam=true`;
    element.replaceChildren(embed);
    window._wq = window._wq || [];
    window._wq.push({ id, onReady: (video) => this._bind(video, start) });
    if (!window.Wistia) {
      loadScript(WISTIA_API).catch((error) => this.fail("load", `The Wistia player could not load: ${error.message}`));
    }
  }

  _bind(video, start) {
    this.video = video;
    video.bind("play", () => this.emit("play", { position: video.time() }));
    video.bind("pause", () => this.emit("pause", { position: video.time() }));
    video.bind("timechange", (t) => this.emit("timeupdate", { position: t }));
    video.bind("seek", (t) => this.emit("seeked", { position: t }));
    video.bind("end", () => this.emit("ended", { position: video.duration() }));
    this.duration = video.duration() || 0;
    if (start > 0) video.time(start);
    this.position = start;
    this.emit("ready", { duration: this.duration });
  }

  play() { this.video?.play(); }
  pause() { this.video?.pause(); }
  seek(seconds) { this.video?.time(seconds); }
  getPosition() { return this.video ? this.video.time() : this.position; }
  getDuration() { return this.video ? this.video.duration() : this.duration; }
  destroy() { this.video?.remove(); }
}

const ADAPTERS = { youtube: YouTubeAdapter, vimeo: VimeoAdapter, wistia: WistiaAdapter };

/** An adapter for a video on `host` ("youtube", "vimeo" or "wistia"), playing into `element`. */
export function createAdapter(host, element, options) {
  const Adapter = ADAPTERS[host];
  if (!Adapter) throw new Error(`no player adapter for ${host}`);
  return new Adapter(element, options);
}
