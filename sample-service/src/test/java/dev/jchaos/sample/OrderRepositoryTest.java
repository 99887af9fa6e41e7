package dev.jchaos.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC repository on an in-memory H2 database. */
class OrderRepositoryTest {

    private HikariDataSource dataSource;
    private OrderRepository repository;

    @BeforeEach
    void open() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:repo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setPoolName("repository-test");
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        repository = new OrderRepository(dataSource);
        repository.createSchema();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void savedOrderIsFoundByIdWithEveryField() {
        Order order = order("ABC-1", 3, 250);

        repository.save(order);

        assertThat(repository.findById(order.id())).contains(order);
        assertThat(repository.count()).isEqualTo(1);
    }

    @Test
    void unknownIdIsEmpty() {
        repository.save(order("ABC-1", 1, 100));

        assertThat(repository.findById(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void creatingTheSchemaTwiceKeepsTheOrders() {
        Order order = order("XYZ-9", 2, 999);
        repository.save(order);

        repository.createSchema();

        assertThat(repository.findById(order.id())).contains(order);
    }

    @Test
    void duplicateIdIsADatabaseErrorNamingTheOrder() {
        Order order = order("ABC-1", 1, 100);
        repository.save(order);

        assertThatThrownBy(() -> repository.save(order))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining(order.id());
    }

    static Order order(String sku, int quantity, long unitPrice) {
        return new Order(UUID.randomUUID().toString(), sku, quantity, unitPrice, unitPrice * quantity,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
