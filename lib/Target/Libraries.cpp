//===- Libraries.cpp - The static and shared library of a model
//-------------===//

#include "seqc/Target/Targets.h"

#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

bool seqc::writeStaticLibrary(StringRef objectPath, StringRef memberName,
                              StringRef libraryPath, std::string &error) {
  Expected<NewArchiveMember> member =
      NewArchiveMember::getFile(objectPath, /*Deterministic=*/true);
  if (!member) {
    error = toString(member.takeError());
    return false;
  }
  member->MemberName = memberName;
  std::vector<NewArchiveMember> members;
  members.push_back(std::move(*member));
  if (Error e =
          writeArchive(libraryPath, members, SymtabWritingMode::NormalSymtab,
                       object::Archive::K_GNU, /*Deterministic=*/true,
                       /*Thin=*/false)) {
    error = toString(std::move(e));
    return false;
  }
  return true;
}

bool seqc::linkSharedLibrary(StringRef objectPath, StringRef libraryPath,
                             StringRef crossTriple, std::string &error) {
  std::string driver;
  if (const char *env = std::getenv("SEQC_LINKER"))
    driver = env;
  SmallVector<StringRef> candidates = {"clang-22", "clang"};
  if (crossTriple.empty())
    candidates.append({"cc", "gcc"});
  for (StringRef name : candidates) {
    if (!driver.empty())
      break;
    if (ErrorOr<std::string> path = sys::findProgramByName(name))
      driver = *path;
  }
  if (driver.empty()) {
    error = "no C compiler driver found to link the shared library (set "
            "SEQC_LINKER)";
    return false;
  }
  std::string targetFlag = ("--target=" + crossTriple).str();
  SmallVector<StringRef> args = {driver, "-shared", "-o", libraryPath,
                                 objectPath};
  if (crossTriple.empty())
    args.append({"-lm", "-lpthread"});
  else
    args.append({targetFlag, "-fuse-ld=lld", "-nostdlib"});
  // The linker's own output is kept and reduced to its first line.
  SmallString<128> log;
  if (sys::fs::createTemporaryFile("seqc-link", "log", log)) {
    error = "cannot create a temporary file for the linker's output";
    return false;
  }
  std::optional<StringRef> redirects[] = {std::nullopt, log.str(), log.str()};
  std::string message;
  int rc = sys::ExecuteAndWait(driver, args, std::nullopt, redirects, 0, 0,
                               &message);
  auto output = MemoryBuffer::getFile(log);
  sys::fs::remove(log);
  if (rc != 0) {
    StringRef first = output ? (*output)->getBuffer().trim() : StringRef();
    first = first.take_until([](char c) { return c == '\n'; });
    error = "linking " + sys::path::filename(libraryPath).str() + " with " +
            driver + " failed" +
            (!first.empty()    ? ": " + first.str()
             : message.empty() ? ""
                               : ": " + message);
    return false;
  }
  return true;
}
