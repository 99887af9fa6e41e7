package dev.jchaos.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A validated request to place an order; {@link #parse} rejects anything else with a message naming the bad part.
 *
 * @param sku      the stock-keeping unit, 1 to 64 characters of letters, digits, {@code -} and {@code _}
 * @param quantity from 1 to {@value #MAX_QUANTITY}
 */
public record OrderRequest(String sku, int quantity) {

    /** The largest quantity one order may ask for. */
    public static final int MAX_QUANTITY = 1000;

    /**
     * Reads and validates a JSON body such as {@code {"sku":"ABC-1","quantity":1}}.
     *
     * @throws BadRequestException naming the missing or malformed field, or the JSON error
     */
    public static OrderRequest parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("request body is empty; expected JSON like {\"sku\":\"ABC-1\",\"quantity\":1}");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("expected a JSON object like {\"sku\":\"ABC-1\",\"quantity\":1} but got: "
                    + abbreviate(body));
        }
        JsonNode sku = node.get("sku");
        if (sku == null || sku.isNull()) {
            throw new BadRequestException("missing field 'sku'");
        }
        if (!sku.isTextual() || !sku.asText().matches("[A-Za-z0-9_-]{1,64}")) {
            throw new BadRequestException("field 'sku' must be 1 to 64 letters, digits, '-' or '_' but was " + sku);
        }
        JsonNode quantity = node.get("quantity");
        if (quantity == null || quantity.isNull()) {
            throw new BadRequestException("missing field 'quantity'");
        }
        if (!quantity.canConvertToInt() || !quantity.isIntegralNumber()
                || quantity.intValue() < 1 || quantity.intValue() > MAX_QUANTITY) {
            throw new BadRequestException("field 'quantity' must be an integer from 1 to " + MAX_QUANTITY
                    + " but was " + quantity);
        }
        return new OrderRequest(sku.asText(), quantity.intValue());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
