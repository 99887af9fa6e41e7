package dev.jchaos.sample;

import dev.jchaos.annotations.InjectDelay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;

/** Orders stored over plain JDBC; the same SQL runs on H2 and PostgreSQL. */
public class OrderRepository {

    private final DataSource dataSource;

    /** @param dataSource where the {@code orders} table lives (see {@link #createSchema()}) */
    public OrderRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the {@code orders} table unless it exists. */
    public void createSchema() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS orders ("
                    + "id VARCHAR(36) PRIMARY KEY, "
                    + "sku VARCHAR(64) NOT NULL, "
                    + "quantity INT NOT NULL, "
                    + "unit_price_cents BIGINT NOT NULL, "
                    + "total_cents BIGINT NOT NULL, "
                    + "created_at TIMESTAMP NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the orders table: " + e.getMessage(), e);
        }
    }

    /** Stores a new order; a delay point ({@code dev.jchaos.sample.OrderRepository#save}). */
    @InjectDelay(ms = 500)
    public void save(Order order) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO orders "
                     + "(id, sku, quantity, unit_price_cents, total_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, order.id());
            insert.setString(2, order.sku());
            insert.setInt(3, order.quantity());
            insert.setLong(4, order.unitPriceCents());
            insert.setLong(5, order.totalCents());
            insert.setTimestamp(6, Timestamp.from(order.createdAt()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot store order " + order.id() + ": " + e.getMessage(), e);
        }
    }

    /** The order with {@code id}, if any; a delay point ({@code dev.jchaos.sample.OrderRepository#findById}). */
    @InjectDelay(ms = 500)
    public Optional<Order> findById(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id, sku, quantity, unit_price_cents, "
                     + "total_cents, created_at FROM orders WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Order(row.getString(1), row.getString(2), row.getInt(3), row.getLong(4),
                        row.getLong(5), row.getTimestamp(6).toInstant()));
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read order " + id + ": " + e.getMessage(), e);
        }
    }

    /** How many orders are stored. */
    public long count() {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot count orders: " + e.getMessage(), e);
        }
    }
}
