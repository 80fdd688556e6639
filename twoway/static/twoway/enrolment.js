// Arrow keys move between the hours of the availability grid (Tab and Space still work).
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.closest("table.availability")) return;
  const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  const move = moves[event.key];
  if (!move) return;
  const [day, hour] = box.value.split("-").map(Number);
  const next = document.getElementById(`slot-${day + move[1]}-${hour + move[0]}`);
  if (next) {
    event.preventDefault();
    next.focus();
  }
});
