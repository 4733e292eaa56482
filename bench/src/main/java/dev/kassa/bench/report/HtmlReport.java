package dev.kassa.bench.report;

import dev.kassa.bench.drain.DrainResult;
import dev.kassa.bench.measure.Progress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One self-contained HTML page: the console table, and per run two inline SVG charts over the run's
 * seconds — accepted/s and completed/s, and p99 latency. No script, no external resource: the page
 * opens offline.
 */
public final class HtmlReport {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 200;
    private static final int MARGIN = 40;

    private HtmlReport() {
    }

    public static String render(List<RunResult> runs, List<DrainResult> drains, String rulesText,
                                Map<String, Object> environment) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>Kassa bench</title><style>body{font-family:sans-serif;margin:2em}"
                + "pre{background:#f4f4f4;padding:1em;overflow-x:auto}svg{border:1px solid #ccc;margin:0.5em 0}"
                + ".legend span{margin-right:1.5em}</style></head><body><h1>Kassa bench</h1>");
        html.append("<p>").append(escape(environment.toString())).append("</p>");
        html.append("<pre>").append(escape(ConsoleTable.render(runs, Summary.ratios(runs), drains))).append("</pre>");
        for (RunResult run : runs) {
            html.append("<h2>").append(escape(run.label())).append("</h2><p>").append(escape(run.mode())).append("</p>");
            html.append("<div class=\"legend\"><span style=\"color:#1f77b4\">■ 2xx/s at the API</span>"
                    + "<span style=\"color:#2ca02c\">■ completed/s in Postgres</span></div>");
            html.append(chart(run.timeline(), "payments/s", List.of(
                    new Series("#1f77b4", Progress.Point::acceptedPerSecond),
                    new Series("#2ca02c", point -> Math.max(0, point.completedPerSecond())))));
            html.append("<div class=\"legend\"><span style=\"color:#d62728\">■ API p99 latency per second (ms)</span></div>");
            html.append(chart(run.timeline(), "ms", List.of(new Series("#d62728", Progress.Point::apiLatencyP99Ms))));
        }
        html.append("<h2>Fraud rules</h2><pre>").append(escape(rulesText)).append("</pre></body></html>\n");
        return html.toString();
    }

    private record Series(String color, ToDoubleFunction<Progress.Point> value) {
    }

    private static String chart(List<Progress.Point> points, String unit, List<Series> series) {
        double max = 1;
        for (Series line : series) {
            for (Progress.Point point : points) {
                max = Math.max(max, line.value().applyAsDouble(point));
            }
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
                MARGIN, HEIGHT - MARGIN / 2, WIDTH - 10, HEIGHT - MARGIN / 2));
        svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"14\" font-size=\"11\">%,.0f %s</text>", max, unit));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%d s</text>",
                WIDTH - 50, HEIGHT - 4, points.size()));
        for (Series line : series) {
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(line.color()).append("\" points=\"");
            for (int i = 0; i < points.size(); i++) {
                double x = MARGIN + (WIDTH - MARGIN - 10) * (points.size() == 1 ? 0 : (double) i / (points.size() - 1));
                double y = HEIGHT - MARGIN / 2.0 - (HEIGHT - MARGIN) * line.value().applyAsDouble(points.get(i)) / max;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
