package io.instahide.demo;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;

import java.awt.Color;

/** The demo's charts: an XY chart with a legend on white, light-grey grid lines. */
final class ChartStyle {

    private ChartStyle() {}

    static JFreeChart xyChart(String title, String xAxis, String yAxis, XYDataset data) {
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title, xAxis, yAxis, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }
}
