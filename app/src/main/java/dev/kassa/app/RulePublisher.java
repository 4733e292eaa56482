package dev.kassa.app;

import dev.kassa.fraud.RuleSet;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a fraud rule set to {@code fraud.rules}, where every topology instance picks it up for
 * the payments it processes next. The file is validated first and published only whole: a file that
 * does not parse never reaches the topic. The topic is created if missing, as every service does.
 */
public final class RulePublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private RulePublisher() {
    }

    /**
     * Validates {@code ruleFile} and publishes it, acknowledged by all in-sync replicas; returns the
     * rule set as published.
     *
     * @throws dev.kassa.fraud.InvalidRuleSetException when the file is not a valid rule set; nothing
     *                                                 is published then
     */
    public static RuleSet publish(String bootstrapServers, int partitions, short replicationFactor, byte[] ruleFile) {
        return publish(bootstrapServers, KafkaClientProperties.NONE, partitions, replicationFactor, ruleFile);
    }

    /** {@link #publish(String, int, short, byte[])} with {@code kafkaClient}'s settings (TLS, SASL) added to every client. */
    public static RuleSet publish(String bootstrapServers, KafkaClientProperties kafkaClient, int partitions,
                                  short replicationFactor, byte[] ruleFile) {
        RuleSet rules = RuleSet.parse(ruleFile);
        Properties config = producerProperties(bootstrapServers, kafkaClient);
        TopicProvisioner.ensureTopics(bootstrapServers, kafkaClient, partitions, replicationFactor);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config,
                Topics.FRAUD_RULES.keySerde().serializer(), Topics.FRAUD_RULES.valueSerde().serializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(Topics.FRAUD_RULES.name(),
                    Topics.FRAUD_RULES_KEY, ruleFile)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (written.offset() < 0) {
                throw new IllegalStateException("the broker did not say where rule set " + rules.version() + " landed");
            }
            return rules;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing rule set " + rules.version(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish rule set " + rules.version() + " to "
                    + Topics.FRAUD_RULES.name() + " on " + bootstrapServers, e);
        }
    }

    /** The rule producer's configuration: acknowledged by all in-sync replicas, idempotent, bounded in blocking. */
    static Properties producerProperties(String bootstrapServers, KafkaClientProperties kafkaClient) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        return kafkaClient.addTo(config, "kassa rules push's producer");
    }
}
