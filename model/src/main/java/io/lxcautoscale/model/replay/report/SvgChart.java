package io.lxcautoscale.model.replay.report;

import io.lxcautoscale.model.replay.sim.PolicyResult;
import io.lxcautoscale.model.replay.sim.TraceScore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes the replay chart as a self-contained SVG: CPU slack against CPU shortage, and memory slack
 * against OOM steps. Knob-sweep entries ({@code name@knob=value}) are drawn as one line per base name
 * (the policy's frontier), every other policy as a labelled point.
 */
public final class SvgChart {
    private static final int PANEL_W = 520;
    private static final int PANEL_H = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"};

    private SvgChart() {
    }

    /** The SVG text for {@code report}. */
    public static String render(ReplayReport report) {
        StringBuilder svg = new StringBuilder();
        int width = PANEL_W * 2;
        int height = PANEL_H + 30;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" text-anchor=\"middle\">"
                + "Replay, %s: %d traces, %d steps (totals; lower-left is better)</text>%n", width / 2,
                esc(report.format().cliName()), report.traces(), report.steps()));
        Map<String, String> colours = new LinkedHashMap<>();
        for (PolicyResult p : report.policies()) {
            colours.computeIfAbsent(base(p.name()), k -> COLOURS[colours.size() % COLOURS.length]);
        }
        panel(svg, 0, report.policies(), "CPU shortage (share of demand not served)", "CPU slack",
                s -> s.cpuShortage(), s -> s.cpuSlack(), colours, true);
        boolean memory = report.policies().stream().anyMatch(p -> p.totals().hasMemory());
        if (memory) {
            panel(svg, PANEL_W, report.policies(), "OOM steps", "memory slack", s -> s.oomSteps(),
                    s -> s.memorySlack(), colours, false);
        } else {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no memory in this"
                    + " trace set</text>%n", PANEL_W + PANEL_W / 2, PANEL_H / 2));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Writes {@link #render} to {@code file}. */
    public static void write(ReplayReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(report));
    }

    private static String base(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    private static void panel(StringBuilder svg, int x0, List<PolicyResult> policies, String xLabel, String yLabel,
                              ToDoubleFunction<TraceScore> fx, ToDoubleFunction<TraceScore> fy,
                              Map<String, String> colours, boolean fractionX) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (PolicyResult p : policies) {
            double x = fx.applyAsDouble(p.totals());
            double y = fy.applyAsDouble(p.totals());
            if (Double.isFinite(x) && Double.isFinite(y)) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        if (!Double.isFinite(minX)) {
            return;
        }
        minX = Math.min(0, minX);
        double padX = (maxX - minX) * 0.08 + 1e-9;
        double padY = (maxY - minY) * 0.08 + 1e-3;
        maxX += padX;
        minY = Math.max(0, minY - padY);
        maxY = Math.min(1, maxY + padY);
        double w = PANEL_W - LEFT - RIGHT;
        double h = PANEL_H - TOP - BOTTOM;
        double fminX = minX;
        double fmaxX = maxX;
        double fminY = minY;
        double fmaxY = maxY;
        java.util.function.DoubleUnaryOperator sx = v -> x0 + LEFT + (v - fminX) / (fmaxX - fminX) * w;
        java.util.function.DoubleUnaryOperator sy = v -> TOP + h - (v - fminY) / (fmaxY - fminY) * h;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\""
                + " stroke=\"#444\"/>%n", x0 + LEFT, TOP, w, h));
        for (int i = 0; i <= 5; i++) {
            double vx = minX + (maxX - minX) * i / 5;
            double vy = minY + (maxY - minY) * i / 5;
            double px = sx.applyAsDouble(vx);
            double py = sy.applyAsDouble(vy);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, TOP + h, px,
                    TOP + h + 15, fractionX ? String.format(Locale.ROOT, "%.3f", vx) : String.format(Locale.ROOT, "%.0f", vx)));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n", x0 + LEFT, py, x0 + LEFT + w, py,
                    x0 + LEFT - 5, py + 4, vy));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x0 + LEFT + w / 2, PANEL_H - 10, esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 %d"
                + " %.0f)\">%s</text>%n", x0 + 18, TOP + h / 2, x0 + 18, TOP + h / 2, esc(yLabel)));
        // Frontier lines from knob sweeps.
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (PolicyResult p : policies) {
            if (p.name().contains("@")) {
                lines.computeIfAbsent(base(p.name()), k -> new ArrayList<>()).add(new double[] {
                    fx.applyAsDouble(p.totals()), fy.applyAsDouble(p.totals())});
            }
        }
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> -a[1]));
            StringBuilder d = new StringBuilder();
            for (double[] pt : pts) {
                d.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(pt[0]), sy.applyAsDouble(pt[1])));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n",
                        sx.applyAsDouble(pt[0]), sy.applyAsDouble(pt[1]), colours.get(e.getKey())));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                    d.toString().trim(), colours.get(e.getKey())));
        }
        int legendY = TOP + 14;
        for (PolicyResult p : policies) {
            if (p.name().contains("@")) {
                continue;
            }
            double x = fx.applyAsDouble(p.totals());
            double y = fy.applyAsDouble(p.totals());
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue;
            }
            String c = colours.get(base(p.name()));
            double px = sx.applyAsDouble(x);
            double py = sy.applyAsDouble(y);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"black\""
                    + " stroke-width=\"0.5\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n", px, py, c, px + 7,
                    py - 6, c, esc(p.name())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%s: (%s, %.3f)</text>%n",
                    x0 + LEFT + w - 6, legendY, c, esc(p.name()), fractionX ? String.format(Locale.ROOT, "%.3f", x)
                            : String.format(Locale.ROOT, "%.0f", x), y));
            legendY += 14;
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
