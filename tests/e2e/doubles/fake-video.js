// TEST DOUBLE support: a pretend video whose clock runs while "playing". Used by the host-player doubles.
window.FakeVideo = class FakeVideo {
  constructor(duration, onTick, onEnd) {
    this.duration = duration;
    this.time = 0;
    this.playing = false;
    this._onTick = onTick;
    this._onEnd = onEnd;
    this._timer = null;
  }
  play() {
    if (this.playing) return;
    if (this.time >= this.duration) this.time = 0;
    this.playing = true;
    let last = performance.now();
    this._timer = setInterval(() => {
      const now = performance.now();
      this.time = Math.min(this.duration, this.time + (now - last) / 1000);
      last = now;
      this._onTick(this.time);
      if (this.time >= this.duration) {
        this.stop();
        this._onEnd();
      }
    }, 100);
  }
  stop() {
    this.playing = false;
    clearInterval(this._timer);
  }
};
window.doubleLog = [];
function doubleButton(element, label, onClick) {
  const button = document.createElement("button");
  button.className = "double-play";
  button.textContent = label;
  button.onclick = onClick;
  element.append(button);
}
window.doubleButton = doubleButton;
