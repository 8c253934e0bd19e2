"use client";

import { PageError } from "@/components/shell/page-error";

// Also catches what the console's layout throws (its session check needs the database).
export default PageError;
