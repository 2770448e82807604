/* Google Consent Mode v2 (basic), for pages with the Seloste cookie banner: nothing is stored
   until the visitor consents. Load this before any Google tag; the banner's configuration
   (consent/cookieconsent-config.js) sends the visitor's choice as a consent update. */
window.dataLayer = window.dataLayer || [];
window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };
window.gtag("consent", "default", {
  analytics_storage: "denied",
  ad_storage: "denied",
  ad_user_data: "denied",
  ad_personalization: "denied",
  functionality_storage: "denied",
  personalization_storage: "denied",
  security_storage: "granted"
});
