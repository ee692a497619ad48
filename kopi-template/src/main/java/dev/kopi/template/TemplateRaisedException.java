package dev.kopi.template;

/**
 * The template itself refused the input by calling {@code raise_exception(message)}, as Hugging Face templates do
 * for unsupported roles or orderings. {@link #templateMessage()} is exactly the template's message.
 */
public final class TemplateRaisedException extends TemplateException {
    private final String templateMessage;

    public TemplateRaisedException(String templateMessage) {
        super("the chat template raised: " + templateMessage);
        this.templateMessage = templateMessage;
    }

    public String templateMessage() {
        return templateMessage;
    }
}
