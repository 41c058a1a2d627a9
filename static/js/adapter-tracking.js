// Heartbeats for a video played by its host's own player: AdapterSource gives HeartbeatTracker (heartbeat.js)
// the player it measures — HlsPlayer's events and methods — over a player adapter (player-adapter.js).
import { HeartbeatTracker, trackerOptions } from "./heartbeat.js";

// Farther than timeupdate moves between two reports (at least one a second, at up to 2× speed) is a jump.
const JUMP_AHEAD = 3;
const JUMP_BACK = 1;
const SAME_PLACE = 0.25;

export class AdapterSource {
  constructor(adapter, element) {
    this.adapter = adapter;
    this.video = element; // the tracker reads the player's height from it
    this.listeners = {};
    this.last = null;
    adapter.on("play", () => { this.emit("play"); this.emit("playing"); }); // the host buffers out of our sight
    adapter.on("pause", () => this.emit("pause"));
    adapter.on("ended", () => this.emit("ended"));
    adapter.on("error", ({ code, message }) => this.emit("error", { message: String(message), fatal: true, code }));
    adapter.on("timeupdate", ({ position }) => this._moved(position));
    adapter.on("seeked", ({ position }) => this._jumped(position));
  }

  on(event, listener) {
    (this.listeners[event] ||= []).push(listener);
    return this;
  }

  emit(event, value) {
    for (const listener of this.listeners[event] || []) listener(value);
  }

  // Some hosts report a seek by timeupdate before (or without) their seek event: a jump counts as the seek,
  // so the watched section closes where the viewer left it.
  _moved(position) {
    const last = this.last;
    if (last !== null && (position > last + JUMP_AHEAD || position < last - JUMP_BACK)) {
      this._jumped(position);
      return;
    }
    this.last = position;
    this.emit("timeupdate", position);
  }

  _jumped(position) {
    if (this.last !== null && Math.abs(position - this.last) < SAME_PLACE) return; // already counted
    this.emit("seeking");
    this.last = position;
    this.emit("seeked", position);
  }

  getPosition() { return this.adapter.getPosition(); }
  getDuration() { return this.adapter.getDuration(); }
  rendition() { return { bitrate: 0, height: 0 }; } // the host picks renditions and does not say which
}

/** Report the view of `adapter` (playing into `element`) with the watch page's config. */
export function trackAdapter(adapter, element, config) {
  return new HeartbeatTracker(new AdapterSource(adapter, element), trackerOptions(config));
}
