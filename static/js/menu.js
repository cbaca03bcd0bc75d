// The top menu's drop-downs behave like menus: one open at a time, so a click on
// another group opens it at once; Escape or a click elsewhere closes them.
// (Pico closes an open drop-down with a page-wide overlay, which swallowed the
// first click on another group; app.css turns that overlay off for this menu.)
document.addEventListener("DOMContentLoaded", () => {
  const groups = [...document.querySelectorAll("#main-menu details.dropdown")];
  const closeAll = (except) => groups.forEach((group) => {
    if (group !== except) group.open = false;
  });
  // On the summary's click, not on "toggle": that event comes later, after a paint with two open.
  groups.forEach((group) => group.querySelector("summary").addEventListener("click", () => {
    closeAll(group);
  }));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = groups.find((group) => group.open);
    if (!open) return;
    closeAll();
    open.querySelector("summary").focus();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#main-menu details.dropdown")) closeAll();
  });
});
