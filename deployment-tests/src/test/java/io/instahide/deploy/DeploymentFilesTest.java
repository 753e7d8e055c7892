package io.instahide.deploy;

import io.instahide.job.config.JobConfig;
import io.instahide.job.config.JobOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here, so the deployment files are checked statically: they parse, every
 * image is pinned (Flink and Kafka to the versions the build uses), only localhost ports are
 * published, the job's arguments are options the job knows and accepts, topics match the job's
 * defaults, and Prometheus scrapes the port the reporter listens on.
 */
class DeploymentFilesTest {

    private static final Path DOCKER = Path.of(System.getProperty("instahide.docker.dir", "."));

    @Test
    void everyImageIsPinnedAndFlinkAndKafkaMatchTheBuild() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "topics",
                        "jobmanager",
                        "taskmanager",
                        "prometheus",
                        "grafana",
                        "publisher");
        services.forEach(
                (name, service) ->
                        assertThat((String) service.get("image"))
                                .as("image of %s", name)
                                .matches("[\\w./-]+:v?\\d+(\\.\\d+)+[\\w.-]*"));
        assertThat(services.get("kafka").get("image"))
                .isEqualTo("apache/kafka:" + System.getProperty("kafka.version"));
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile)
                .contains("FROM flink:" + System.getProperty("flink.version") + "-java17\n")
                .contains(
                        "classloader.parent-first-patterns.additional:"
                                + " org.nd4j.;org.bytedeco.;jcuda.")
                .contains("/opt/flink/usrlib/instahide-job.jar");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")))
                .allMatch(l -> l.matches("FROM [\\w./-]+:\\d+(\\.\\d+)+[\\w.-]*( AS \\w+)?"));
    }

    @Test
    void longRunningServicesRollTheirLogs() throws Exception {
        for (String name : List.of("kafka", "jobmanager", "taskmanager")) {
            assertThat(String.valueOf(services().get(name).get("logging")))
                    .as("logging of %s", name)
                    .contains("max-size=10m")
                    .contains("max-file=3");
        }
    }

    @Test
    void onlyTheWebUisAndKafkasExternalListenerArePublishedOnLocalhost() throws Exception {
        Map<String, List<String>> published = new HashMap<>();
        services()
                .forEach(
                        (name, service) -> {
                            @SuppressWarnings("unchecked")
                            List<String> ports = (List<String>) service.get("ports");
                            if (ports != null) {
                                published.put(name, ports);
                            }
                        });
        assertThat(published)
                .containsOnly(
                        Map.entry("kafka", List.of("127.0.0.1:29092:29092")),
                        Map.entry("jobmanager", List.of("127.0.0.1:8081:8081")),
                        Map.entry("grafana", List.of("127.0.0.1:3000:3000")));
    }

    @Test
    void theJobArgumentsAreOptionsTheJobAccepts() throws Exception {
        Map<String, Object> jobManager = services().get("jobmanager");
        assertThat(strings(jobManager.get("entrypoint")).get(2))
                .startsWith("exec /docker-entrypoint.sh standalone-job ")
                .endsWith(" \"$$@\"");
        List<String> compose = strings(jobManager.get("command"));
        assertThat(compose.subList(0, 2))
                .containsExactly("--job-classname", "io.instahide.job.InstaHideJob");
        assertAccepted(compose.subList(2, compose.size()));

        Map<String, Object> deployment = yamlDocuments("kubernetes/instahide.yaml").get(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> job =
                (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("job");
        assertThat(job.get("entryClass")).isEqualTo("io.instahide.job.InstaHideJob");
        assertThat(job.get("upgradeMode")).as("keeps the pool state").isEqualTo("savepoint");
        assertAccepted(strings(job.get("args")));
    }

    @Test
    void topicsAreTheJobsDefaultsAndThePoolTopicIsCompacted() throws Exception {
        String script = strings(services().get("topics").get("command")).get(0);
        for (ConfigOption<String> topic :
                List.of(
                        JobOptions.RAW_IMAGES_TOPIC,
                        JobOptions.PUBLIC_IMAGES_TOPIC,
                        JobOptions.ENCRYPTED_SAMPLES_TOPIC,
                        JobOptions.DEAD_LETTERS_TOPIC)) {
            assertThat(script).contains("create " + topic.defaultValue() + " ");
        }
        assertThat(script)
                .contains(
                        "create "
                                + JobOptions.PUBLIC_IMAGES_TOPIC.defaultValue()
                                + " --partitions 1 --config cleanup.policy=compact");
    }

    @Test
    void prometheusScrapesTheReportersPortAndTheDashboardParses() throws Exception {
        String properties =
                (String)
                        ((Map<?, ?>) services().get("taskmanager").get("environment"))
                                .get("FLINK_PROPERTIES");
        assertThat(properties)
                .contains(
                        "metrics.reporter.prom.factory.class:"
                                + " org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .contains("metrics.reporter.prom.port: 9249");
        Map<String, Object> prometheus = yamlDocuments("prometheus/prometheus.yml").get(0);
        assertThat(prometheus.toString()).contains("port=9249").contains("jobmanager, taskmanager");
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve(DASHBOARD).toFile());
        assertThat(dashboardMetrics(dashboard)).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void theAlertingRulesAndTheConfigPassPromtoolAndCoverTheReadmesMetricTable() throws Exception {
        Path prometheus = DOCKER.resolve("prometheus");
        assertThat(
                        TestingPrometheus.promtool(
                                "check", "config", prometheus.resolve("prometheus.yml").toString()))
                .contains("SUCCESS: 1 rule files found");
        assertThat(
                        TestingPrometheus.promtool(
                                "check", "rules", prometheus.resolve(ALERTS).toString()))
                .contains("SUCCESS");
        String rules = Files.readString(prometheus.resolve(ALERTS));
        String readme = Files.readString(DOCKER.resolve("../README.md"));
        Matcher row =
                Pattern.compile("^\\| `(flink_\\w+?)(?:_<REASON>)?` ", Pattern.MULTILINE)
                        .matcher(readme);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertThat(rules).as("an alert on %s", row.group(1)).contains(row.group(1));
        }
        assertThat(rows).as("metric rows in the README").isGreaterThanOrEqualTo(10);
    }

    static final String ALERTS = "alerts.yml";

    static final String DASHBOARD = "grafana/dashboards/instahide.json";
    private static final Pattern METRIC_NAME = Pattern.compile("flink_\\w+");

    /** The metric names (or name prefixes, for regular expressions) the dashboard queries. */
    static Set<String> dashboardMetrics(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher name = METRIC_NAME.matcher(target.path("expr").asText());
                while (name.find()) {
                    names.add(name.group());
                }
            }
        }
        return names;
    }

    private static void assertAccepted(List<String> arguments) {
        Set<String> known =
                JobOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        Configuration configuration = new Configuration();
        for (int i = 0; i < arguments.size(); i += 2) {
            assertThat(arguments.get(i)).startsWith("--");
            String key = arguments.get(i).substring(2);
            assertThat(known).as("a job option").contains(key);
            configuration.setString(key, arguments.get(i + 1));
        }
        assertThat(JobConfig.from(configuration)).isNotNull();
    }

    /** Compose services with YAML merge keys ({@code <<: *flink}) applied. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        Map<String, Object> compose = yamlDocuments("docker-compose.yaml").get(0);
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        ((Map<String, Object>) compose.get("services"))
                .forEach(
                        (name, value) -> {
                            Map<String, Object> service = new LinkedHashMap<>();
                            Map<String, Object> own = (Map<String, Object>) value;
                            if (own.get("<<") instanceof Map<?, ?> base) {
                                service.putAll((Map<String, Object>) base);
                            }
                            service.putAll(own);
                            service.remove("<<");
                            services.put(name, service);
                        });
        return services;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yamlDocuments(String file) throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build())
                .loadAllFromString(Files.readString(DOCKER.resolve(file)))
                .forEach(document -> documents.add((Map<String, Object>) document));
        return documents;
    }

    private static List<String> strings(Object list) {
        List<String> strings = new ArrayList<>();
        ((List<?>) list).forEach(item -> strings.add(String.valueOf(item)));
        return strings;
    }
}
