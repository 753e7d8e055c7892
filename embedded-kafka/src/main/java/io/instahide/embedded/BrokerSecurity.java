package io.instahide.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TLS and SASL/SCRAM for an embedded broker, generated for one run: a self-signed certificate for
 * 127.0.0.1 and localhost ({@code keytool}: a PKCS12 keystore for the broker, a PKCS12 truststore
 * and a PEM file holding it for clients), and SCRAM-SHA-256 users with random passwords, created
 * when the broker's storage is formatted. The broker listens with {@code SASL_SSL} only; a client
 * without the certificate or without a user's password is refused. The same users may also log in
 * with {@code PLAIN} (over the same TLS): librdkafka before 2.6.1, Debian's included, sends a SCRAM
 * nonce that Kafka since 3.8.1 rejects (librdkafka#4895, CVE-2024-56128), so its clients need it.
 */
public final class BrokerSecurity {

    public static final String MECHANISM = "SCRAM-SHA-256";

    /** The fallback mechanism for librdkafka before 2.6.1 (see the class comment). */
    public static final String PLAIN = "PLAIN";

    /**
     * The user the broker itself authenticates as (transaction markers go through its own port).
     */
    static final String BROKER_USER = "broker";

    private final Path keystore;
    private final Path truststore;
    private final Path caPem;
    private final String storePassword;
    private final Map<String, String> passwords;

    private BrokerSecurity(
            Path keystore,
            Path truststore,
            Path caPem,
            String storePassword,
            Map<String, String> passwords) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.caPem = caPem;
        this.storePassword = storePassword;
        this.passwords = passwords;
    }

    /**
     * Generates the certificate and stores in {@code directory} and passwords for {@code users}.
     */
    static BrokerSecurity generate(Path directory, List<String> users) throws IOException {
        SecureRandom random = new SecureRandom();
        String storePassword = secret(random);
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(BROKER_USER, secret(random));
        for (String user : users) {
            if (!user.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("SCRAM user names here are [A-Za-z0-9_-]+");
            }
            passwords.put(user, secret(random));
        }
        Path keystore = directory.resolve("broker.p12");
        Path truststore = directory.resolve("truststore.p12");
        Path caPem = directory.resolve("broker-ca.pem");
        keytool(
                directory,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                storePassword);
        keytool(
                directory,
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                storePassword,
                "-file",
                caPem.toString());
        keytool(
                directory,
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                caPem.toString(),
                "-keystore",
                truststore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                storePassword);
        return new BrokerSecurity(keystore, truststore, caPem, storePassword, passwords);
    }

    /** The users clients may log in as (not the broker's own). */
    public List<String> users() {
        return passwords.keySet().stream().filter(u -> !u.equals(BROKER_USER)).toList();
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No SCRAM user " + user);
        }
        return password;
    }

    /** The broker's certificate in PEM, for clients that take a CA file (librdkafka). */
    public Path caPem() {
        return caPem;
    }

    public Path truststore() {
        return truststore;
    }

    public String truststorePassword() {
        return storePassword;
    }

    /**
     * The Java client settings for {@code user} and {@code password}: what the job takes as {@code
     * --kafka.properties.*} and the tools as the same options.
     */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", MECHANISM);
        properties.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
        properties.put("ssl.truststore.type", "PKCS12");
        properties.put("ssl.truststore.location", truststore.toString());
        properties.put("ssl.truststore.password", storePassword);
        return properties;
    }

    public Map<String, String> clientProperties(String user) {
        return clientProperties(user, password(user));
    }

    /**
     * The same for librdkafka clients (the Python consumer's confluent-kafka), logging in with
     * {@code mechanism}: {@link #MECHANISM}, or {@link #PLAIN} for librdkafka before 2.6.1.
     */
    public Map<String, String> librdkafkaProperties(String user, String mechanism) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanisms", mechanism);
        properties.put("sasl.username", user);
        properties.put("sasl.password", password(user));
        properties.put("ssl.ca.location", caPem.toString());
        return properties;
    }

    /** server.properties lines of a broker listening with SASL_SSL on {@code port}. */
    List<String> brokerProperties(int port, int controllerPort) {
        return List.of(
                "listeners=SASL_SSL://127.0.0.1:"
                        + port
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort,
                "advertised.listeners=SASL_SSL://127.0.0.1:" + port,
                "inter.broker.listener.name=SASL_SSL",
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=" + MECHANISM + "," + PLAIN,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\""
                        + BROKER_USER
                        + "\" password=\""
                        + password(BROKER_USER)
                        + "\";",
                "listener.name.sasl_ssl.plain.sasl.jaas.config=" + plainJaas(),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keystore,
                "ssl.keystore.password=" + storePassword,
                "ssl.key.password=" + storePassword,
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + truststore,
                "ssl.truststore.password=" + storePassword);
    }

    /** The broker's PLAIN users: the same names and passwords as the SCRAM ones. */
    private String plainJaas() {
        StringBuilder jaas =
                new StringBuilder(
                        "org.apache.kafka.common.security.plain.PlainLoginModule required");
        passwords.forEach(
                (user, password) ->
                        jaas.append(" user_")
                                .append(user)
                                .append("=\"")
                                .append(password)
                                .append('"'));
        return jaas.append(';').toString();
    }

    /** {@code kafka-storage format} arguments that create every SCRAM user. */
    List<String> formatArguments() {
        List<String> arguments = new ArrayList<>();
        passwords.forEach(
                (user, password) -> {
                    arguments.add("--add-scram");
                    arguments.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
                });
        return arguments;
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void keytool(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Path log = directory.resolve("keytool.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "keytool " + arguments[0] + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }
}
