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
  }
  window.addEventListener("cc:onConsent", show);
  window.addEventListener("cc:onChange", show);
}());
