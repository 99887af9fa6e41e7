package dev.jchaos.sample;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.sample.DownstreamUnavailableException.Reason;
import java.util.Map;

/** Reserves stock at the inventory service: {@code POST /reservations {"sku":..,"quantity":..}}. */
public class InventoryClient {

    private final DownstreamHttp http;

    InventoryClient(DownstreamHttp http) {
        this.http = http;
    }

    /**
     * Reserves {@code quantity} units of {@code sku}; a delay point ({@code dev.jchaos.sample.InventoryClient#reserve}).
     *
     * @throws OutOfStockException            when the inventory refuses
     * @throws DownstreamUnavailableException when the inventory service cannot answer
     */
    @InjectDelay(ms = 800)
    public void reserve(String sku, int quantity) {
        JsonNode answer = http.post("/reservations", Map.of("sku", sku, "quantity", quantity));
        JsonNode reserved = answer.get("reserved");
        if (reserved == null || !reserved.isBoolean()) {
            throw new DownstreamUnavailableException("inventory", Reason.BAD_RESPONSE,
                    "answer has no boolean 'reserved': " + answer, null);
        }
        if (!reserved.booleanValue()) {
            throw new OutOfStockException(sku, quantity);
        }
    }
}
