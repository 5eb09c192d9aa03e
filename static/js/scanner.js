// A reusable QR scanner: the device camera, a text field, and hardware "keyboard wedge"
// scanners (they type the code fast and end with Enter). Used by the door page; employer
// tablets reuse it.
//
//   const scanner = new Scanner({ video, form, onScan: (text, source) => … });
//   await scanner.startCamera();   // source "camera"
//   scanner.stopCamera();
//
// Decoding: the native BarcodeDetector where the browser has one that reads QR codes,
// otherwise jsQR (static/vendor/jsqr-<version>/jsQR.js, loaded as a classic script that
// defines window.jsQR). Both work offline.
//
// The camera sees the same badge many times a second: a code is reported once, and again
// only after it has been out of view for `repeatMs`.

const EDITABLE = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export class Scanner {
  constructor({
    video,
    form = null,
    onScan,
    onCameraChange = () => {},
    interval = 120,
    repeatMs = 2500,
    wedge = true,
    wedgeMinLength = 6,
    wedgeMaxGapMs = 60,
    wedgeResetMs = 800,
    codePattern = /EO1\.[A-Za-z0-9_-]{100}$/,
    maxDecodeWidth = 960,
  }) {
    this.video = video;
    this.form = form;
    this.onScan = onScan;
    this.onCameraChange = onCameraChange;
    this.interval = interval;
    this.repeatMs = repeatMs;
    this.wedgeMinLength = wedgeMinLength;
    this.wedgeMaxGapMs = wedgeMaxGapMs;
    this.wedgeResetMs = wedgeResetMs;
    this.codePattern = codePattern;
    this.maxDecodeWidth = maxDecodeWidth;
    this.stream = null;
    this.timer = null;
    this.detector = undefined; // undefined: not probed yet; null: none
    this.canvas = null;
    this.lastText = null;
    this.lastSeen = 0;
    this.buffer = "";
    this.firstKey = 0;
    this.lastKey = 0;
    this.onKeyDown = this.onKeyDown.bind(this);
    this.onSubmit = this.onSubmit.bind(this);
    if (form) form.addEventListener("submit", this.onSubmit);
    if (wedge) document.addEventListener("keydown", this.onKeyDown, true);
  }

  get cameraOn() {
    return this.stream !== null;
  }

  // ---- text field and keyboard wedge ----------------------------------------------------

  onSubmit(event) {
    event.preventDefault();
    const input = this.form.querySelector("input");
    const text = input.value.trim();
    input.value = "";
    if (text) this.onScan(text, "keyboard");
  }

  // A wedge scanner types into whatever has focus. When that is not a text field (a button,
  // the page), collect keystrokes here so a scan is not lost. On Enter, the keys count as a
  // scan if they end in a badge code (codePattern), or if they came fast (on average at most
  // wedgeMaxGapMs apart: no person types that fast). A pause of wedgeResetMs starts over.
  onKeyDown(event) {
    const target = event.target;
    if (target && (EDITABLE.has(target.tagName) || target.isContentEditable)) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const now = event.timeStamp || performance.now();
    if (now - this.lastKey > this.wedgeResetMs) this.buffer = "";
    if (event.key === "Enter") {
      const text = this.scanned(now);
      this.buffer = "";
      if (text) {
        event.preventDefault();
        event.stopPropagation();
        this.onScan(text, "wedge");
      }
      return;
    }
    if (event.key.length !== 1) return;
    if (!this.buffer) this.firstKey = now;
    this.buffer = (this.buffer + event.key).slice(-512);
    this.lastKey = now;
  }

  scanned(now) {
    const buffer = this.buffer;
    if (!buffer) return null;
    const code = this.codePattern ? buffer.match(this.codePattern) : null;
    if (code) return code[0];
    const average = (now - this.firstKey) / buffer.length;
    return buffer.length >= this.wedgeMinLength && average <= this.wedgeMaxGapMs ? buffer : null;
  }

  // ---- camera ---------------------------------------------------------------------------

  async startCamera() {
    if (this.stream) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("This browser has no camera access.");
    }
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 },
               height: { ideal: 720 } },
    });
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.muted = true;
    this.video.setAttribute("playsinline", "");
    await this.video.play();
    await this.probeDetector();
    this.onCameraChange(true);
    this.schedule();
  }

  stopCamera() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.stream) {
      for (const track of this.stream.getTracks()) track.stop();
    }
    this.stream = null;
    this.video.srcObject = null;
    this.onCameraChange(false);
  }

  destroy() {
    this.stopCamera();
    document.removeEventListener("keydown", this.onKeyDown, true);
    if (this.form) this.form.removeEventListener("submit", this.onSubmit);
  }

  async probeDetector() {
    if (this.detector !== undefined) return;
    this.detector = null;
    if (!("BarcodeDetector" in window)) return;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        this.detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      }
    } catch {
      this.detector = null;
    }
  }

  schedule() {
    this.timer = setTimeout(() => this.tick(), this.interval);
  }

  async tick() {
    if (!this.stream) return;
    try {
      if (!document.hidden && this.video.readyState >= 2) {
        const text = await this.decode();
        if (text) this.seen(text);
      }
    } catch (err) {
      console.warn("QR decode failed", err);
    }
    if (this.stream) this.schedule();
  }

  async decode() {
    if (this.detector) {
      const codes = await this.detector.detect(this.video);
      return codes.length ? codes[0].rawValue : null;
    }
    if (typeof window.jsQR !== "function") return null;
    const width = this.video.videoWidth;
    const height = this.video.videoHeight;
    if (!width || !height) return null;
    const scale = Math.min(1, this.maxDecodeWidth / width);
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (!this.canvas) this.canvas = document.createElement("canvas");
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(this.video, 0, 0, w, h);
    const image = ctx.getImageData(0, 0, w, h);
    const code = window.jsQR(image.data, w, h, { inversionAttempts: "dontInvert" });
    return code && code.data ? code.data : null;
  }

  seen(text) {
    const now = performance.now();
    const repeat = text === this.lastText && now - this.lastSeen < this.repeatMs;
    this.lastText = text;
    this.lastSeen = now;
    if (!repeat) this.onScan(text, "camera");
  }
}
