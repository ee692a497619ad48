package dev.kopi.engine;

/** The file declares a {@code general.architecture} the engine has no forward pass for. */
public final class UnsupportedArchitectureException extends ModelException {
    private final String architecture;

    public UnsupportedArchitectureException(String architecture) {
        super("unsupported model architecture '" + architecture + "' (supported: "
                + Architecture.supportedNames() + ")");
        this.architecture = architecture;
    }

    /** The architecture name as the file spells it. */
    public String architecture() {
        return architecture;
    }
}
