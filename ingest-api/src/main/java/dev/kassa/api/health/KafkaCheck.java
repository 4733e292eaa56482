package dev.kassa.api.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Kafka is ready when the cluster answers a describe-cluster request. */
public final class KafkaCheck implements ComponentCheck {

    private final Admin admin;

    public KafkaCheck(Admin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void check(Duration timeout) throws Exception {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
