"use client";

import { PageError } from "@/components/shell/page-error";

// Inside the console's layout: the navigation stays usable beside the failed page.
export default PageError;
