#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  desk::cli::Env env = desk::cli::env_from_process(std::cin, std::cout, std::cerr);
  std::vector<std::string> args(argv + 1, argv + argc);
  int rc = desk::cli::run(args, env);
  std::cout.flush();
  return rc;
}
