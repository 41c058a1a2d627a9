// HeartbeatTracker: measures one view and reports it to POST /api/heartbeat (protocol: docs/analytics.md).
// Every beat carries running totals, so a lost beat is covered by the next; watched sections are kept until
// a beat carrying them is acknowledged. Never two beats within minSpacing: events in between are coalesced.

const PRIORITY = { hb: 0, start: 1, first_frame: 2, seek: 3, pause: 4, error: 5, end: 6 };
const MAX_SECTIONS = 32;

// The endpoint is CSRF-exempt (the signed view token authenticates a beat, and sendBeacon cannot set headers),
// but fetch() sends the page's CSRF token anyway when base.html carries one, so a protected endpoint works too.
function beatHeaders() {
  const headers = { "Content-Type": "application/json" };
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  if (token) headers["X-CSRF-Token"] = token;
  return headers;
}

// The tracker's options from the watch page's config (streamer/web/watch.py watch_config).
export function trackerOptions(config) {
  return {
    url: config.heartbeat_url, view: config.view_id, token: config.view_token,
    interval: config.heartbeat_interval, minSpacing: config.min_beat_spacing, duration: config.duration,
  };
}

export class HeartbeatTracker {
  constructor(player, config) {
    this.player = player;
    this.config = config; // {url, view, token, interval (s), minSpacing (s), duration (s)}
    this.seq = 0;
    this.totals = { played: 0, stall: 0, stallCount: 0, seeks: 0, upscale: 0, bitrates: {} };
    this.startup = null;
    this.ended = false;
    this.error = "";
    this.pending = [];
    this.section = null;
    this.state = "idle";
    this.lastTick = 0;
    this.lastPosition = 0;
    this.seeking = false;
    this.lastSentAt = -Infinity;
    this.queued = null;
    this.timer = null;
    this.inFlight = false;
    this.stopped = false;
    this.acknowledged = 0;
    this.backoff = 0;
    this._listen();
  }

  _listen() {
    const p = this.player;
    p.on("play", () => this._onPlay());
    p.on("playing", () => this._onPlaying());
    p.on("stall", () => this._onStall());
    p.on("pause", () => this._stop("paused", "pause"));
    p.on("ended", () => { this.ended = true; this._stop("ended", "end"); });
    p.on("error", (error) => { if (error.fatal) { this.error = String(error.message).slice(0, 200); this._stop("failed", "error"); } });
    p.on("timeupdate", (position) => { this._tick(); if (!this.seeking) this.lastPosition = position; });
    p.on("seeking", () => this._onSeeking());
    p.on("seeked", (position) => this._onSeeked(position));
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") this.beacon(); });
    window.addEventListener("pagehide", () => this.beacon());
    this.heartbeat = setInterval(() => { if (this.state === "playing" || this.state === "stalled") this.send("hb"); }, this.config.interval * 1000);
  }

  _onPlay() {
    if (this.state === "idle") {
      this.playIntentAt = performance.now();
      this.state = "starting";
      this.send("start");
    }
  }

  _onPlaying() {
    const now = performance.now();
    if (this.startup === null && this.playIntentAt !== undefined) {
      this.startup = Math.round(now - this.playIntentAt);
      this.send("first_frame");
    }
    if (this.state === "stalled") this.totals.stall += now - this.stallStart;
    this.state = "playing";
    this.lastTick = now;
    this.section = this.player.getPosition();
  }

  _onStall() {
    if (this.state !== "playing" || this.seeking) return; // startup and seeks are not rebuffering
    this._tick();
    this._close(this.player.getPosition());
    this.state = "stalled";
    this.stallStart = performance.now();
    this.totals.stallCount += 1;
  }

  _stop(state, event) {
    this._tick();
    this._close(this.seeking ? this.lastPosition : this.player.getPosition());
    if (this.state === "stalled") this.totals.stall += performance.now() - this.stallStart;
    this.state = state;
    this.send(event);
  }

  _onSeeking() {
    this._tick();
    this._close(this.lastPosition);
    this.seeking = true;
  }

  _onSeeked(position) {
    this.seeking = false;
    this.lastPosition = position;
    if (this.state === "playing") this.section = position;
    if (this.startup === null) return; // hls.js nudging the start position is no seek by the viewer
    this.totals.seeks += 1;
    this.send("seek");
  }

  // Adds the playing time since the last tick, by bitrate, and whether the picture was upscaled.
  _tick() {
    const now = performance.now();
    if (this.state === "playing" && this.lastTick) {
      const elapsed = now - this.lastTick;
      const rendition = this.player.rendition();
      this.totals.played += elapsed;
      if (rendition.bitrate) this.totals.bitrates[rendition.bitrate] = (this.totals.bitrates[rendition.bitrate] || 0) + elapsed;
      if (rendition.height && this._playerHeight() > rendition.height * 1.05) this.totals.upscale += elapsed;
    }
    this.lastTick = now;
  }

  _playerHeight() {
    return Math.round(this.player.video.clientHeight * (window.devicePixelRatio || 1));
  }

  _close(at) {
    if (this.section !== null && at > this.section) this._addSection(this.section, at);
    this.section = null;
  }

  _addSection(start, end) {
    const last = this.pending[this.pending.length - 1];
    if (last && Math.abs(start - last[1]) < 0.3) last[1] = Math.max(last[1], end);
    else this.pending.push([start, end]);
    if (this.pending.length > MAX_SECTIONS) {
      const [a, b] = this.pending.splice(0, 2);
      this.pending.unshift([Math.min(a[0], b[0]), Math.max(a[1], b[1])]);
    }
  }

  // The sections so far, closing the open one at the current position (and reopening it there).
  _sectionsNow() {
    if (this.state === "playing" && this.section !== null && !this.seeking) {
      const at = this.player.getPosition();
      this._close(at);
      this.section = at;
    }
    return this.pending.map(([start, end]) => [round3(start), round3(end)]);
  }

  send(event) {
    if (this.stopped) return;
    if (this.queued === null || PRIORITY[event] >= PRIORITY[this.queued]) this.queued = event;
    this._schedule();
  }

  _schedule() {
    if (this.inFlight || this.timer || this.queued === null) return;
    const spacing = this.config.minSpacing * 1000 + 250;
    const wait = Math.max(0, this.lastSentAt + spacing - performance.now(), this.backoff);
    this.timer = setTimeout(() => { this.timer = null; this._flush(); }, wait);
  }

  body(event, hidden = false) {
    this._tick();
    const duration = this.player.getDuration() || this.config.duration || this.player.getPosition() + 1;
    const rendition = this.player.rendition();
    const stalling = this.state === "stalled" ? performance.now() - this.stallStart : 0;
    this.seq += 1;
    return {
      view: this.config.view, token: this.config.token, seq: this.seq, event,
      position: round3(Math.min(this.player.getPosition(), duration)), duration: round3(duration),
      sections: this._sectionsNow(),
      played_ms: Math.round(this.totals.played), stall_ms: Math.round(this.totals.stall + stalling),
      stall_count: this.totals.stallCount, seeks: this.totals.seeks, startup_ms: this.startup,
      bitrate_ms: Object.fromEntries(Object.entries(this.totals.bitrates).map(([rate, ms]) => [rate, Math.round(ms)])),
      bitrate: rendition.bitrate, rendition_height: rendition.height, player_height: this._playerHeight(),
      upscale_ms: Math.round(this.totals.upscale), ended: this.ended, error: this.error || null, hidden,
    };
  }

  async _flush() {
    const event = this.queued;
    this.queued = null;
    const body = this.body(event);
    const carried = body.sections.length;
    this.inFlight = true;
    this.lastSentAt = performance.now();
    let status = 0;
    let reason = "";
    try {
      const response = await fetch(this.config.url, { method: "POST", body: JSON.stringify(body), keepalive: true, credentials: "same-origin", headers: beatHeaders() });
      status = response.status;
      if (!response.ok) reason = (await response.json().catch(() => ({}))).error || "";
    } catch (error) {
      reason = String(error);
    }
    this.inFlight = false;
    this._settle(status, reason, carried, event);
    this._schedule();
  }

  // 2xx: the carried sections are stored. 429/503/network: keep everything, retry later. 400: drop it.
  _settle(status, reason, carried, event) {
    if (status >= 200 && status < 300) {
      this.pending.splice(0, carried);
      this.acknowledged = this.seq;
      this.acknowledgedEvent = event;
      this.backoff = 0;
      return;
    }
    if (status === 400) {
      console.warn("heartbeat refused:", reason);
      this.pending.splice(0, carried);
      if (reason.includes("expired")) this.stopped = true;
      return;
    }
    this.backoff = Math.min(this.config.interval * 1000, (this.backoff || 1500) * 2);
    if (this.queued === null) this.queued = event === "hb" ? "hb" : event;
  }

  // The page is going away or hidden: one last beat by sendBeacon (it arrives as text/plain).
  beacon() {
    if (this.stopped || this.state === "idle" || !navigator.sendBeacon) return;
    const body = this.body(this.queued || (this.state === "playing" ? "hb" : "pause"), true);
    this.queued = null;
    if (navigator.sendBeacon(this.config.url, JSON.stringify(body))) {
      this.pending = [];
      this.lastSentAt = performance.now();
    }
  }
}

function round3(value) {
  return Math.round(value * 1000) / 1000;
}
