package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import io.lxcautoscale.api.status.StatusHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The status page: {@code /ui} (one static HTML page, open) and the read-only JSON it loads,
 * {@code /status/overview} and {@code /status/container}. The history is read from the host's files by a
 * {@link StatusHistory}: the first request starts the first read in the background and waits for it up to
 * {@code status.first_read_wait_seconds}; later requests read what was appended when the last read is older
 * than {@code status.refresh_seconds}.
 */
public final class StatusRoutes {
    static final String PAGE_RESOURCE = "/io/lxcautoscale/api/status/status-page.html";

    private final ApiConfig.Status settings;
    private final StatusHistory history;
    private final String page;
    private CompletableFuture<Void> firstRead;
    private volatile long lastRefreshNanos;

    public StatusRoutes(ApiConfig.Status settings) {
        this.settings = settings;
        this.history = new StatusHistory(settings);
        this.page = loadPage();
    }

    public List<RouteDef> routes() {
        return List.of(
                new RouteDef("GET", "/ui", "The status page (HTML; asks for the API key once and loads the /status routes)",
                        List.of(), false, false, "", this::ui),
                new RouteDef("GET", "/status/overview", "Node capacity and reserve; per container: CPU and memory used vs allocated, "
                        + "latest decision with its reasons, tier, opt-out state, last OOM kill (from the metrics file and the journal)",
                        List.of(), false, false, "", this::overview),
                new RouteDef("GET", "/status/container", "One container over the status window: usage and allocation series, "
                        + "decisions as marks, and its last journal entries as `lxc_autoscale_ml explain` prints them",
                        List.of(new FieldDef("vmid", List.of(), "integer", true, "container ID, 100-999999999")),
                        false, false, "vmid=101", this::container));
    }

    private ApiResult ui(ApiCall call) {
        call.fields().finish();
        return ApiResult.raw(200, "text/html; charset=utf-8", page);
    }

    private ApiResult overview(ApiCall call) {
        call.fields().finish();
        boolean complete = bringUpToDate();
        Map<String, Object> data = history.overview();
        data.put("complete", complete);
        return ApiResult.ok("Status of " + ((List<?>) data.get("containers")).size() + " container(s)", data);
    }

    private ApiResult container(ApiCall call) {
        Fields f = call.fields();
        Integer vmid = f.vmidField("vmid", true);
        f.finish();
        boolean complete = bringUpToDate();
        Map<String, Object> data = history.container(Integer.toString(vmid));
        if (data == null) {
            throw ApiError.notFound("Container " + vmid + " has no sample and no decision within the last "
                    + settings.window().toHours() + " h of " + settings.metricsFile() + " and " + settings.suggestionsFile()
                    + (complete ? "" : " read so far (the history is still being read)"));
        }
        data.put("complete", complete);
        return ApiResult.ok("Status of container " + vmid, data);
    }

    /** Starts or continues reading the files; true when the history read so far is the whole of it. */
    private boolean bringUpToDate() {
        CompletableFuture<Void> first;
        synchronized (this) {
            if (firstRead == null) {
                firstRead = new CompletableFuture<>();
                CompletableFuture<Void> started = firstRead;
                Thread reader = new Thread(() -> {
                    try {
                        history.refresh();
                        started.complete(null);
                    } catch (RuntimeException | Error e) {
                        started.completeExceptionally(e);
                    }
                    lastRefreshNanos = System.nanoTime();
                }, "status-first-read");
                reader.setDaemon(true);
                reader.start();
            }
            first = firstRead;
        }
        if (!first.isDone()) {
            try {
                first.get(settings.firstReadWait().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                // the read failed unexpectedly; the next refresh starts over where it stopped
            }
            return true;
        }
        if (System.nanoTime() - lastRefreshNanos >= settings.refresh().toNanos()) {
            history.refresh();
            lastRefreshNanos = System.nanoTime();
        }
        return true;
    }

    private static String loadPage() {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the status page " + PAGE_RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the status page " + PAGE_RESOURCE + ": " + e, e);
        }
    }
}
