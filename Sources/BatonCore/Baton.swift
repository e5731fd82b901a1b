/// BatonCore: values, state, graphs, events, the engine and the store protocol.
/// It uses no networking and no database, so an app can embed it alone.
public enum Baton {
    /// The version of this package.
    public static let version = "0.1.0"
}
