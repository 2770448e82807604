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
    }
    showReceipt();
  }
  // The receipt of a recorded consent: the portal serves it by the random id in the cookie.
  function showReceipt() {
    var box = document.getElementById("consent-receipt");
    var cc = window.CookieConsent;
    if (!box || !cc) { return; }
    var data = cc.getCookie("data") || {};
    var id = cc.getCookie("consentId");
    var link = box.querySelector("a");
    if (data.recorded === true && id) {
      link.setAttribute("href", link.getAttribute("data-receipt-base") + encodeURIComponent(id) + ".json");
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }
  window.addEventListener("seloste:consent-recorded", showReceipt);
  window.addEventListener("cc:onConsent", show);
  window.addEventListener("cc:onChange", show);
}());
