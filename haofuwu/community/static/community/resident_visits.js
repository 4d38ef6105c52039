// Moved out of community/resident_visits.html so that the Content-Security-Policy can forbid inline script.
// The phone's position proves a home visit when no door code is given (sent with the form, checked on the server).
document.querySelectorAll("form.js-visit").forEach(function (form) {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    form.latitude.value = p.coords.latitude; form.longitude.value = p.coords.longitude;
  }, function () {}, {timeout: 8000});
});
