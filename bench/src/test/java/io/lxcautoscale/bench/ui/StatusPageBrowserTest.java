package io.lxcautoscale.bench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.bench.status.StatusFixture;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.CannotRunHere;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser: Debian's headless Chromium driven through its chromedriver (the paths are
 * given, so Selenium downloads nothing), against the real API server reading fixture files. Logs in with the
 * key, waits for the table, opens a container, checks its charts and decisions, and writes a screenshot of each
 * page under {@code target/}.
 */
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String KEY = "browser-key-0123456789abcdef";
    private static final int CONTAINERS = 12;

    @TempDir
    Path dir;

    @Test
    void logInSeeTheTableOpenAContainerSeeItsChart() throws Exception {
        CannotRunHere.unless(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                CHROMIUM + " and " + CHROMEDRIVER + " are needed (Debian packages chromium and chromium-driver)");
        // 24 h of one-minute samples, a model cycle every 5 minutes, a change every 24th cycle (2 h)
        StatusFixture fixture = new StatusFixture(CONTAINERS, 24, 60, 300, 24, Instant.parse("2026-08-18T12:00:00Z"));
        StatusFixture.Written files = fixture.write(dir.resolve("metrics.json"), dir.resolve("journal.json"));
        Path model = Files.writeString(dir.resolve("model.yaml"), StatusFixture.modelYaml());
        String yaml = "server: {host: 127.0.0.1, port: 0}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "audit: {log_file: " + dir.resolve("audit.json") + "}\n"
                + "logging: {level: WARN, access_log: false}\n"
                + "status: {metrics_file: " + files.metrics() + ", suggestions_file: " + files.journal() + ", model_config_file: " + model + "}\n";
        ApiServer server = ApiServer.create(ConfigLoader.parse("browser-test.yaml", yaml, ApiConfig::bind).config(), "browser-test.yaml");
        int port = server.start();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriver browser = new ChromeDriver(service, options);
        Path shots = Files.createDirectories(Path.of("target"));
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get("http://127.0.0.1:" + port + "/ui");
            WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
            key.sendKeys(KEY);
            browser.findElement(By.id("key-submit")).click();

            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#containers tbody tr.ct"), CONTAINERS));
            List<WebElement> rows = browser.findElements(By.cssSelector("#containers tbody tr.ct"));
            assertThat(rows.get(0).getText()).startsWith("101 ct101");
            // the fixture tags every 10th container from the 4th with autoscale-off, every 4th from the 1st with web
            assertThat(rows.get(3).getText()).contains("tag autoscale-off");
            assertThat(rows.get(4).getText()).contains("web");
            assertThat(browser.findElement(By.id("node")).getText()).contains("pve-bench").contains("2 cores, 4096 MiB");
            assertThat(browser.executeScript("return sessionStorage.getItem('lxcas-api-key')")).isEqualTo(KEY);
            Files.write(shots.resolve("status-overview.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            rows.get(0).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "Container 101 (ct101)"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#chart-cpu svg path.series"), 2));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("explain"), "cores"));
            // every change the fixture made to 101 in the last day is a mark on both charts
            assertThat(browser.findElements(By.cssSelector("#chart-cpu svg line.mark"))).hasSize(files.changesOfFirstContainerInLastDay());
            assertThat(browser.findElements(By.cssSelector("#chart-memory svg line.mark"))).hasSize(files.changesOfFirstContainerInLastDay());
            String path = browser.findElement(By.cssSelector("#chart-cpu svg path.series")).getAttribute("d");
            // one point per one-minute bucket over 24 h: a path of about 1440 segments
            assertThat(path.split("L").length).isGreaterThan(1400);
            assertThat(browser.findElement(By.id("explain")).getText().split("\n")).hasSize(20); // 10 entries of two lines
            Files.write(shots.resolve("status-container.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            server.close();
        }
    }
}
