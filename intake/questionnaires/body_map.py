"""The body picture a multi-choice item can be drawn as: its areas, their ids and their shapes.

Left and right are the patient's own. The front view faces the reader, so the patient's left
is on the reader's right; the back view shows the patient's left on the reader's left. Both
views are drawn in one small SVG (no third-party artwork), shared by the patient page, the
review page, the summary and the PDF.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

FRONT, BACK = "front", "back"
BACK_OFFSET = 140  # the back view is drawn to the right of the front view
VIEW_BOX = "0 0 260 296"


@dataclass(frozen=True)
class Area:
    """One body area a patient can tap: its stable id, its words and its place."""

    id: str
    label: str
    view: str
    box: tuple[int, int, int, int]  # x, y, width, height within its view
    round: bool = False  # drawn as an ellipse (face, eyelids)


def _pair(name: str, label: str, view: str, right_box, left_box, round_: bool = False):
    """Return the patient's right and left area of one kind."""
    return (
        Area(f"{name}_right", f"Right {label}", view, right_box, round_),
        Area(f"{name}_left", f"Left {label}", view, left_box, round_),
    )


# Front view: the patient's right is on the reader's left (x below 60).
# Back view: the patient's left is on the reader's left.
AREAS: tuple[Area, ...] = (
    *_pair("face", "side of the face", FRONT, (46, 6, 14, 32), (60, 6, 14, 32), True),
    *_pair("eyelid", "eyelid", FRONT, (50, 17, 8, 4), (62, 17, 8, 4), True),
    *_pair("upper_arm", "upper arm", FRONT, (24, 48, 12, 40), (84, 48, 12, 40)),
    *_pair("forearm", "forearm", FRONT, (22, 90, 12, 38), (86, 90, 12, 38)),
    *_pair("hand", "hand", FRONT, (20, 130, 14, 18), (86, 130, 14, 18)),
    *_pair("thigh_outer", "outer thigh", FRONT, (38, 130, 7, 60), (75, 130, 7, 60)),
    *_pair("thigh_front", "front of the thigh", FRONT, (45, 130, 8, 60), (67, 130, 8, 60)),
    *_pair("thigh_inner", "inner thigh", FRONT, (53, 130, 6, 60), (61, 130, 6, 60)),
    *_pair("shin", "shin", FRONT, (41, 200, 16, 50), (63, 200, 16, 50)),
    *_pair("foot", "foot and toes", FRONT, (38, 252, 20, 10), (62, 252, 20, 10)),
    Area("neck", "Neck", BACK, (53, 38, 14, 8)),
    Area("upper_back", "Upper back", BACK, (38, 46, 44, 22)),
    Area("mid_back", "Middle of the back", BACK, (38, 68, 44, 22)),
    Area("low_back", "Low back", BACK, (38, 90, 44, 26)),
    *_pair("buttock", "buttock", BACK, (61, 116, 21, 22), (38, 116, 21, 22)),
    *_pair("thigh_back", "back of the thigh", BACK, (61, 138, 21, 52), (38, 138, 21, 52)),
    *_pair("knee_back", "back of the knee", BACK, (62, 190, 18, 10), (40, 190, 18, 10)),
    *_pair("calf", "calf", BACK, (63, 200, 16, 38), (41, 200, 16, 38)),
    *_pair("achilles", "Achilles (back of the ankle)", BACK, (67, 238, 8, 14), (45, 238, 8, 14)),
)
AREA_IDS = frozenset(area.id for area in AREAS)

# The parts of the body that are not areas, drawn as the figure's outline.
_OUTLINE = {
    FRONT: ((38, 46, 44, 70), (38, 116, 44, 14), (41, 190, 16, 10), (63, 190, 16, 10)),
    BACK: (
        (24, 48, 12, 40),
        (84, 48, 12, 40),
        (22, 90, 12, 38),
        (86, 90, 12, 38),
        (20, 130, 14, 18),
        (86, 130, 14, 18),
        (41, 252, 16, 10),
        (63, 252, 16, 10),
    ),
}
_HEAD = (46, 6, 28, 32)


@dataclass(frozen=True)
class Shape:
    """One drawn shape: an area (with its checkbox value) or part of the outline."""

    path: str
    area: str = ""
    label: str = ""
    chosen: bool = False


@dataclass(frozen=True)
class Figure:
    """The body picture with the chosen areas filled, and the words that describe it."""

    shapes: tuple[Shape, ...]
    chosen_labels: tuple[str, ...]
    view_box: str = VIEW_BOX

    @property
    def description(self) -> str:
        if not self.chosen_labels:
            return "Body picture, front and back, with no area chosen."
        return (
            "Body picture, front and back, with these areas filled: "
            + ", ".join(self.chosen_labels)
            + "."
        )


def body_map_figure(options, chosen: Collection[str] = ()) -> Figure:
    """Return the figure for a body-map item: its options' areas, those chosen filled."""
    labels = {option.value: option.label for option in options if option.value in AREA_IDS}
    shapes: list[Shape] = []
    for view in (FRONT, BACK):
        shift = 0 if view == FRONT else BACK_OFFSET
        for box in (_HEAD, *_OUTLINE[view]):
            shapes.append(Shape(_path(box, shift, round_=box is _HEAD)))
        for area in AREAS:
            if area.view == view and area.id in labels:
                shapes.append(
                    Shape(
                        _path(area.box, shift, round_=area.round),
                        area.id,
                        labels[area.id],
                        area.id in chosen,
                    )
                )
    chosen_labels = tuple(labels[value] for value in labels if value in chosen)
    return Figure(tuple(shapes), chosen_labels)


def _path(box: tuple[int, int, int, int], shift: int, *, round_: bool) -> str:
    x, y, width, height = box
    x += shift
    if round_:
        rx, ry = width / 2, height / 2
        return f"M{x},{y + ry:g}a{rx:g},{ry:g} 0 1,0 {width},0a{rx:g},{ry:g} 0 1,0 -{width},0z"
    return f"M{x},{y}h{width}v{height}h-{width}z"
