package io.instahide.demo;

import org.jfree.chart.ui.TextAnchor;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each point's name goes on a scatter plot so that names cover neither each other, nor the
 * plot's edge, nor (less important) other points where that can be helped: to the right of its
 * point if that is free, else to the left, above or below, else wherever it costs least. Sizes are
 * estimated from an 11-point sans-serif font and the plot's data area in pixels, close enough to
 * keep names legible.
 */
final class LabelPlacement {

    /** Average character width, line height and marker radius, in pixels. */
    private static final double CHAR_PIXELS = 6.5;

    private static final double LINE_PIXELS = 14;
    private static final double POINT_PIXELS = 5;

    /**
     * What a name costs where it runs off the plot (cut off: unreadable), covers another name
     * (partly readable) or another point's marker.
     */
    private static final int EDGE_COST = 100;

    private static final int NAME_COST = 10;

    private static final int POINT_COST = 1;

    /** Where a name sits against its point, and the anchor that puts it there. */
    enum Side {
        RIGHT(TextAnchor.CENTER_LEFT),
        LEFT(TextAnchor.CENTER_RIGHT),
        ABOVE(TextAnchor.BOTTOM_LEFT),
        BELOW(TextAnchor.TOP_LEFT);

        final TextAnchor anchor;

        Side(TextAnchor anchor) {
            this.anchor = anchor;
        }
    }

    /** A point and its name, in data units. */
    record Label(double x, double y, String text) {}

    private record Box(double x0, double y0, double x1, double y1) {
        boolean overlaps(Box other) {
            return x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1;
        }

        boolean inside(Box area) {
            return x0 >= area.x0 && x1 <= area.x1 && y0 >= area.y0 && y1 <= area.y1;
        }
    }

    private final Box area;
    private final double charWidth;
    private final double lineHeight;
    private final double pointX;
    private final double pointY;

    /** A data area spanning [xMin, xMax] × [yMin, yMax] drawn in width × height pixels. */
    LabelPlacement(
            double xMin, double xMax, double yMin, double yMax, double width, double height) {
        this.area = new Box(xMin, yMin, xMax, yMax);
        double xPerPixel = (xMax - xMin) / width;
        double yPerPixel = (yMax - yMin) / height;
        this.charWidth = CHAR_PIXELS * xPerPixel;
        this.lineHeight = LINE_PIXELS * yPerPixel;
        this.pointX = POINT_PIXELS * xPerPixel;
        this.pointY = POINT_PIXELS * yPerPixel;
    }

    /** One side per label, in order, each chosen after the ones before it. */
    List<Side> place(List<Label> labels) {
        List<Box> points = new ArrayList<>();
        for (Label label : labels) {
            points.add(
                    new Box(
                            label.x() - pointX,
                            label.y() - pointY,
                            label.x() + pointX,
                            label.y() + pointY));
        }
        List<Box> names = new ArrayList<>();
        List<Side> sides = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            Side best = Side.RIGHT;
            int cheapest = Integer.MAX_VALUE;
            for (Side side : Side.values()) {
                Box box = box(labels.get(i), side);
                int cost = box.inside(area) ? 0 : EDGE_COST;
                for (Box name : names) {
                    cost += box.overlaps(name) ? NAME_COST : 0;
                }
                for (int p = 0; p < points.size(); p++) {
                    cost += p != i && box.overlaps(points.get(p)) ? POINT_COST : 0;
                }
                if (cost < cheapest) {
                    best = side;
                    cheapest = cost;
                }
                if (cost == 0) {
                    break;
                }
            }
            sides.add(best);
            names.add(box(labels.get(i), best));
        }
        return sides;
    }

    /** The name's box, clear of its own point's marker. */
    private Box box(Label label, Side side) {
        double width = label.text().length() * charWidth;
        double x = label.x();
        double y = label.y();
        return switch (side) {
            case RIGHT ->
                    new Box(x + pointX, y - lineHeight / 2, x + pointX + width, y + lineHeight / 2);
            case LEFT ->
                    new Box(x - pointX - width, y - lineHeight / 2, x - pointX, y + lineHeight / 2);
            case ABOVE -> new Box(x, y + pointY, x + width, y + pointY + lineHeight);
            case BELOW -> new Box(x, y - pointY - lineHeight, x + width, y - pointY);
        };
    }
}
