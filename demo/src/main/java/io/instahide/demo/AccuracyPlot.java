package io.instahide.demo;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Map;

/** A PNG line chart (JFreeChart) of clean test accuracy per epoch, one line per configuration. */
final class AccuracyPlot {

    /** Tableau's colour-blind-friendly first four, as matplotlib draws them. */
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private AccuracyPlot() {}

    /**
     * @param series per configuration, the mean accuracy after each epoch (0..1)
     */
    static void write(Path file, String title, Map<String, double[]> series) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        double low = 1;
        for (Map.Entry<String, double[]> line : series.entrySet()) {
            XYSeries points = new XYSeries(line.getKey());
            double[] values = line.getValue();
            for (int e = 0; e < values.length; e++) {
                points.add(e + 1, values[e] * 100);
                low = Math.min(low, values[e]);
            }
            data.addSeries(points);
        }
        JFreeChart chart = ChartStyle.xyChart(title, "epoch", "clean test accuracy (%)", data);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesStroke(s, new BasicStroke(2.5f));
            renderer.setSeriesPaint(s, COLORS[s % COLORS.length]);
        }
        plot.setRenderer(renderer);
        NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis accuracy = (NumberAxis) plot.getRangeAxis();
        accuracy.setRange(Math.floor(low * 50) * 2, 100); // a 2-point grid below the lowest value
        accuracy.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        accuracy.setNumberFormatOverride(new DecimalFormat("0'%'"));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
