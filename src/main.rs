use clap::Parser;
use forcecast::{cli::Cli, commands};

fn main() {
    let cli = Cli::parse();
    forcecast::output::install_interrupt_handler();
    let code = match commands::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            // A config can have several problems; each gets its own line.
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}
