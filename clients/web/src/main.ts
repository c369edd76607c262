// Parley's web app: the entry point (the screens come with issue 8's UI work).
const app = document.getElementById('app');
if (app) {
  app.textContent = 'Parley';
}
