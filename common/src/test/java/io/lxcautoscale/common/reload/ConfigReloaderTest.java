package io.lxcautoscale.common.reload;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConfigReloaderTest {
    record Settings(int value, Path file) {
        static Settings bind(ConfigNode root) {
            return new Settings(root.getInt("value", 1, 0, 100), root.getPath("file", "/var/a"));
        }
    }

    /** Records what it was given; throws when told to. */
    static final class Target implements Reloadable<Settings> {
        final List<Settings> taken = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch tookOne = new CountDownLatch(1);
        ConfigException refuse;

        @Override
        public List<String> restartOnlyKeys() {
            return List.of("file");
        }

        @Override
        public void reload(Settings config) {
            if (refuse != null) {
                throw refuse;
            }
            taken.add(config);
            threads.add(Thread.currentThread().getName());
            tookOne.countDown();
        }
    }

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
    private final Target target = new Target();
    private final List<Settings> afterwards = new CopyOnWriteArrayList<>();
    private Path file;
    private ConfigReloader<Settings> reloader;

    @BeforeEach
    void start() throws Exception {
        log.start();
        logger.addAppender(log);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        file = Files.writeString(dir.resolve("sample.yaml"), "value: 5\n");
        reloader = new ConfigReloader<>("sample", () -> ConfigLoader.load(file, Settings::bind),
                ConfigLoader.load(file, Settings::bind), target, afterwards::add);
    }

    @AfterEach
    void stop() {
        reloader.close();
        logger.detachAppender(log);
        logger.setLevel(null);
    }

    @Test
    void aValidFileIsHandedOverAndARestartOnlyChangeIsNamedWithTheValueThatStays() throws Exception {
        Files.writeString(file, "value: 7\nfile: /var/b\n");
        assertThat(reloader.reloadNow()).isTrue();
        assertThat(target.taken).containsExactly(new Settings(7, Path.of("/var/b")));
        assertThat(afterwards).containsExactly(new Settings(7, Path.of("/var/b")));
        assertThat(messages()).contains("file changed from /var/a to /var/b: needs restart; /var/a stays in effect until then",
                "sample: configuration reloaded (1 setting(s) need a restart, see above)");
    }

    @Test
    void anInvalidFileIsLoggedAsCheckConfigPrintsItAndNothingIsHandedOver() throws Exception {
        Files.writeString(file, "value: lots\n");
        assertThat(reloader.reloadNow()).isFalse();
        assertThat(target.taken).isEmpty();
        assertThat(afterwards).isEmpty();
        String checkConfigLine; // what DaemonCommand's --check-config prints for this file
        try {
            ConfigLoader.load(file, Settings::bind);
            throw new AssertionError("the file should be invalid");
        } catch (ConfigException e) {
            checkConfigLine = "sample: " + e.getMessage();
        }
        assertThat(checkConfigLine).contains(file.toString(), "'value'", "lots");
        assertThat(messages()).contains("configuration reload refused; the running settings stay:", checkConfigLine);
        assertThat(messages()).noneMatch(m -> m.contains("configuration reloaded"));
    }

    @Test
    void aTargetThatCannotUseTheFileLeavesEverythingAsItWas() throws Exception {
        Files.writeString(file, "value: 9\n");
        target.refuse = new ConfigException("keys", List.of("keys: no key left"));
        assertThat(reloader.reloadNow()).isFalse();
        assertThat(afterwards).as("logging is not set up again either").isEmpty();
        assertThat(messages()).contains("sample: invalid configuration keys:\n  - keys: no key left");
    }

    @Test
    void aRequestReloadsOnTheReloadersOwnThread() throws Exception {
        Files.writeString(file, "value: 8\n");
        reloader.request();
        assertThat(target.tookOne.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(target.taken).containsExactly(new Settings(8, Path.of("/var/a")));
        assertThat(target.threads).containsExactly("config-reload");
    }

    @Test
    void restartOnlyKeysCoverWholeSectionsAndOnlyThem() {
        Map<String, Object> running = Map.of("server", Map.of("port", 5000, "host", "127.0.0.1"), "level", "INFO");
        Map<String, Object> reloaded = Map.of("server", Map.of("port", 5001, "host", "127.0.0.1"), "level", "DEBUG");
        assertThat(RestartOnlyChanges.between(running, reloaded, List.of("server")))
                .containsExactly(new RestartOnlyChanges.Change("server.port", 5000, 5001));
        assertThat(RestartOnlyChanges.between(running, reloaded, List.of("serv"))).as("a prefix of a name is not its section").isEmpty();
    }

    private List<String> messages() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
