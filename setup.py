"""Only the build step pyproject.toml cannot declare: a wheel carries the message catalogues
compiled (.po → .mo, with Babel). An editable install reads the .po files themselves."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("core/locale").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / "nianbao" / po.relative_to("core").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(po, "rb") as fh:
                catalog = read_po(fh)
            with open(target, "wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogues})
