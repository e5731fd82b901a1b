import BatonCore

extension WorkflowLoader {
    /// Reads who holds which role from a YAML file whose `roles:` maps users to roles
    /// (`roles: { dana: [finance], lee: [finance, ops] }`): a workflow file, or a file of its own
    /// that the team shares. Throws ``SpecError`` naming the file, line and column of a problem.
    public static func roles(file path: String) throws(SpecError) -> Roles {
        let location = SourceFiles.absolute(path)
        let (text, problems) = SourceFiles.read(location, display: path)
        guard let text else { throw SpecError(diagnostics: problems) }
        let context = DecodeContext(file: path)
        guard let root = YAMLSource.parse(text, context: context),
            let top = context.mapping(root, at: "", expected: "a mapping with a roles: section, such as roles: { dana: [finance] }")
        else {
            throw SpecError(diagnostics: context.finish())
        }
        guard let section = top.value("roles") else {
            context.error("", at: root.position, "missing the roles: section (users and the roles they hold, such as roles: { dana: [finance] })")
            throw SpecError(diagnostics: context.finish())
        }
        let roles = context.roles(section, at: "roles")
        if context.hasErrors { throw SpecError(diagnostics: context.finish()) }
        return roles
    }
}
