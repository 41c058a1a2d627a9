/** After a lesson ends, offer the next lesson of its course (or say the course is done). */
export function offerNextLesson(adapter, { videoId, courseId, panel }) {
  adapter.on("ended", async () => {
    const response = await fetch(`/api/courses/${encodeURIComponent(courseId)}/next?after=${encodeURIComponent(videoId)}`,
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { next } = await response.json();
    const link = document.createElement("a");
    if (next) {
      link.href = `/watch/${encodeURIComponent(next.video.id)}?course=${encodeURIComponent(courseId)}`;
      link.className = "button next-lesson-link";
      link.textContent = `Next lesson: ${next.video.title}`;
    } else {
      link.href = `/courses/${encodeURIComponent(courseId)}`;
      link.className = "course-done-link";
      link.textContent = "You finished the last lesson. Back to the course";
    }
    panel.replaceChildren(link);
    panel.hidden = false;
  });
}
