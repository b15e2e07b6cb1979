fn main() -> std::process::ExitCode {
    dodil::main()
}
