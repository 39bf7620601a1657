// Renders /api/openapi.json with Scalar's standalone script (scalar.js, from the Scalar.AspNetCore package).
const app = document.getElementById('app');
window.Scalar.createApiReference('#app', {
  url: app.dataset.url,
  // the API answers on this origin under /api (both hosts); try calls with the admin token as bearer
  baseServerURL: window.location.origin,
  authentication: { preferredSecurityScheme: 'adminToken' },
  // nothing that leads to Scalar's hosted services
  showDeveloperTools: 'never',
  hideClientButton: true,
});
