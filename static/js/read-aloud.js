// "Lees voor" / "Read aloud" (templates/_read_aloud.html): the browser's own speech
// synthesis reads the page's main text in the page's language. No outside service: the
// text never leaves the device. Without speech synthesis the button stays hidden.
//
// What is read: the rendered text blocks inside <main> (headings, paragraphs, labels,
// legends, list items, table cells, summaries), in document order, each once. Hidden
// blocks (a closed <details>, [hidden], aria-hidden) and the button's own box are skipped,
// and so are the values typed into the form. Each block is one utterance: Chrome stops long
// utterances after about 15 seconds, and a queue of short ones also pauses naturally.
(function () {
  "use strict";
  var box = document.querySelector("[data-read-aloud]");
  var synth = window.speechSynthesis;
  if (!box || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  var button = box.querySelector("button");
  var main = document.querySelector("main") || document.body;
  var BLOCKS = "h1, h2, h3, h4, p, legend, label, summary, li, dt, dd, th, td, caption";
  var speaking = false;

  function rendered(el) {
    if (el.closest("[data-read-aloud], [aria-hidden='true'], [hidden]")) return false;
    return el.getClientRects().length > 0;
  }

  function language(el) {
    var holder = el.closest("[lang]");
    return (holder && holder.getAttribute("lang")) || document.documentElement.lang || "nl";
  }

  // The text blocks to read, outermost first: a block inside another one (a label inside
  // a list item) is read as part of that one, not twice.
  function blocks() {
    var found = [];
    Array.prototype.forEach.call(main.querySelectorAll(BLOCKS), function (el) {
      if (!rendered(el)) return;
      for (var i = 0; i < found.length; i++) if (found[i].el.contains(el)) return;
      var text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
      if (text) found.push({ el: el, text: text, lang: language(el) });
    });
    return found;
  }

  function voiceFor(lang) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var wanted = lang.toLowerCase();
    for (var i = 0; i < voices.length; i++) {
      var v = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (v === wanted || v.split("-")[0] === wanted.split("-")[0]) return voices[i];
    }
    return null;
  }

  function show(state) {
    speaking = state;
    button.textContent = button.getAttribute(state ? "data-stop" : "data-start");
  }

  function stop() {
    synth.cancel();
    show(false);
  }

  function start() {
    var items = blocks();
    if (!items.length) return;
    synth.cancel();  // nothing left over from another page or an earlier click
    show(true);
    items.forEach(function (item, i) {
      var u = new window.SpeechSynthesisUtterance(item.text);
      u.lang = item.lang;
      var voice = voiceFor(item.lang);
      if (voice) u.voice = voice;
      if (i === items.length - 1) {
        u.onend = function () { show(false); };
      }
      u.onerror = function () { show(false); };
      synth.speak(u);
    });
  }

  button.addEventListener("click", function () {
    if (speaking) stop(); else start();
  });
  // Leaving the page (or going back to it from the cache) must not keep reading.
  window.addEventListener("pagehide", function () { if (speaking) stop(); });
  box.hidden = false;
})();
