package io.lxcautoscale.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.EtcDefaults;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    /** Keys of the original that are accepted with a deprecation warning and deliberately not shipped. */
    private static final List<String> DEPRECATED = List.of("model_save_path", "json_log_file", "feature_engineering",
            "prediction", "scaling.total_cores", "scaling.total_ram_mb", "scaling.target_cpu_load_percent",
            "scaling.ram_chunk_size", "scaling.ram_upper_limit", "api.timeout", "scaling.cpu_scale_down_threshold",
            "scaling.ram_scale_down_threshold", "scaling.margin_percent");

    @Test
    void shippedFileDocumentsEveryDefault() throws Exception {
        EtcDefaults.assertDocumentsDefaults(EtcDefaults.etcFile("lxc_autoscale_ml.yaml"), ModelConfig::bind, DEPRECATED);
    }

    @Test
    void minAboveMaxIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {min_cpu_cores: 6, max_cpu_cores: 4}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.min_cpu_cores");
    }

    @Test
    void aHeadroomBelowTheApisIsRejectedNamingTheKey() {
        // the API refuses decreases below used + max(64 MB, 10 %): a smaller model headroom would only earn 409s
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {memory_headroom_percent: 5}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.memory_headroom_percent");
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {memory_headroom_min_mb: 32}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.memory_headroom_min_mb");
        ConfigLoader.parse("t.yaml", "scaling: {memory_headroom_percent: 10, memory_headroom_min_mb: 64}", ModelConfig::bind);
    }

    @Test
    void memoryRiskIsOneOfThePresets() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {memory_risk: yolo}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.memory_risk")
                .hasMessageContaining("lowest, low, medium, high, highest");
        ModelConfig c = ConfigLoader.parse("t.yaml", "scaling: {memory_risk: HIGH}", ModelConfig::bind).config();
        assertThat(c.policy().memory().risk()).isEqualTo(io.lxcautoscale.model.policy.MemoryRisk.HIGH);
        assertThat(c.policy().memory().windowSteps()).isEqualTo(72);   // 6 h of 300 s steps
        assertThat(c.policy().memory().warmupSteps()).isEqualTo(288);  // memory_warmup_hours 24
        assertThat(ConfigLoader.parse("t.yaml", "scaling: {memory_warmup_hours: 0}", ModelConfig::bind).config()
                .policy().memory().warmupSteps()).isZero();
    }

    @Test
    void theRecommenderIsOnByDefaultAndABooleanNamingTheKey() {
        assertThat(ConfigLoader.parse("t.yaml", "{}", ModelConfig::bind).config().recommender()).isTrue();
        assertThat(ConfigLoader.parse("t.yaml", "scaling: {recommender: false}", ModelConfig::bind).config().recommender()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {recommender: maybe}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.recommender");
    }

    @Test
    void theOriginalsDownThresholdsAndTheOldMarginAreDeprecated() {
        var loaded = ConfigLoader.parse("t.yaml",
                "scaling: {cpu_scale_down_threshold: 30, ram_scale_down_threshold: 30, margin_percent: 15}", ModelConfig::bind);
        assertThat(loaded.warnings()).anyMatch(w -> w.contains("scaling.cpu_scale_down_threshold") && w.contains("deprecated"))
                .anyMatch(w -> w.contains("scaling.ram_scale_down_threshold") && w.contains("deprecated"))
                .anyMatch(w -> w.contains("scaling.margin_percent") && w.contains("cpu_margin_percent"));
        assertThat(loaded.config().policy()).isEqualTo(ConfigLoader.parse("t.yaml", "{}", ModelConfig::bind).config().policy());
    }

    @Test
    void breakerTimeoutMustExceedTheInterval() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "interval_seconds: 600\ncircuit_breaker: {timeout_seconds: 300}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("circuit_breaker.timeout_seconds");
    }

    @Test
    void zeroStepIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "scaling: {cpu_scale_step: 0}", ModelConfig::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scaling.cpu_scale_step");
    }

    @Test
    void removedKeysOfTheOriginalWarn() {
        var loaded = ConfigLoader.parse("t.yaml", "scaling: {total_cores: 8, ram_chunk_size: 256}\nmodel_save_path: /x", ModelConfig::bind);
        assertThat(loaded.warnings()).anyMatch(w -> w.contains("scaling.total_cores") && w.contains("deprecated"))
                .anyMatch(w -> w.contains("scaling.ram_chunk_size"))
                .anyMatch(w -> w.contains("model_save_path"));
    }

    @Test
    void tiersOverrideLimitsByVmidAndTag() {
        var c = ConfigLoader.parse("t.yaml", """
                tiers:
                  names: [small, db]
                  small: {vmids: [101], max_cpu_cores: 2}
                  db: {tags: [database], max_ram_mb: 32768}
                """, ModelConfig::bind).config();
        assertThat(c.tiers()).hasSize(2);
        assertThat(c.tiers().get(0).vmids()).containsExactly("101");
        assertThat(c.tiers().get(0).settings().cpu().maxCores()).isEqualTo(2);
        assertThat(c.tiers().get(1).settings().memory().maxMb()).isEqualTo(32768);
        assertThat(c.tiers().get(1).settings().cpu().maxCores()).isEqualTo(4);
    }

    @Test
    void stalenessDefaultsToThreeIntervals() {
        var c = ConfigLoader.parse("t.yaml", "interval_seconds: 120", ModelConfig::bind).config();
        assertThat(c.effectiveMaxMetricsAgeSeconds()).isEqualTo(360);
        assertThat(c.policy().cpu().windowSteps()).isEqualTo(288);
        assertThat(c.policy().memory().dailyLookaheadSteps()).isEqualTo(12);
    }
}
