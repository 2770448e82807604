/* Cookie settings page: show whether each cookie category is allowed, on load and after every
   choice (the banner's cc:onConsent and cc:onChange events). Load it before the banner. */
(function () {
  "use strict";
  function show() {
    var items = document.querySelectorAll("[data-consent-category]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var category = item.getAttribute("data-consent-category");
      var on = window.CookieConsent && window.CookieConsent.acceptedCategory(category);
      item.textContent = item.getAttribute(on ? "data-on" : "data-off");
      showExample(category, on);
    }
    showReceipt();
  }
  // An example script that ran stays run: withdrawn in the same page view, its note says it ran
  // before the withdrawal and stops at the next page load; accepted again, the note is as before.
  function showExample(category, on) {
    var note = document.getElementById("consent-example-" + category);
    if (!note || note.hidden) { return; }
    if (!note.hasAttribute("data-ran")) { note.setAttribute("data-ran", note.textContent); }
    note.textContent = note.getAttribute(on ? "data-ran" : "data-withdrawn");
  }
  // The receipt of a recorded consent: the portal serves it by the random id in the cookie.
  // Until a record exists the link has no address (never the bare base, a 404) and stays hidden
  // behind the text that says there is no receipt yet.
  function showReceipt() {
    var box = document.getElementById("consent-receipt");
    var cc = window.CookieConsent;
    if (!box || !cc) { return; }
    var data = cc.getCookie("data") || {};
    var id = cc.getCookie("consentId");
    var ready = box.querySelector("[data-receipt='ready']");
    var none = box.querySelector("[data-receipt='none']");
    var link = ready.querySelector("a[data-receipt-link]");
    var recorded = data.recorded === true && Boolean(id);
    if (recorded) {
      link.setAttribute("href", box.getAttribute("data-receipt-base") + encodeURIComponent(id) + ".json");
      link.setAttribute("download", "");
    } else {
      // Without an address the link is a placeholder; `download` is valid only with `href`.
      link.removeAttribute("href");
      link.removeAttribute("download");
    }
    ready.hidden = !recorded;
    none.hidden = recorded;
    // The id a visitor quotes to staff (their receipt's record_id), once a record exists.
    var shown = box.querySelector("[data-consent-id]");
    if (shown) {
      shown.querySelector("code").textContent = recorded ? id : "";
      shown.hidden = !recorded;
    }
  }
  window.addEventListener("seloste:consent-recorded", showReceipt);
  window.addEventListener("cc:onConsent", show);
  window.addEventListener("cc:onChange", show);
}());
